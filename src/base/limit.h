/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer: base. Uses GLib only.
 *
 * Every limit on input, in one place. Past a limit, input is refused with a
 * clear reason, never silently truncated.
 */
#ifndef ESSAIM_LIMITS_H
#define ESSAIM_LIMITS_H

/* Default [intake] max_message_bytes: a larger message keeps its headers only. */
#define MESSAGE_MAX_DEFAULT (32u * 1024u * 1024u)
/* Bytes of header block kept for a message over the size limit. */
#define HEADER_BLOCK_MAX (256u * 1024u)
/* One unfolded header value; longer ones are cut from the parsed view (the raw
 * message keeps them) and the message is flagged. */
#define HEADER_VALUE_MAX (16u * 1024u)
/* Nesting of multipart / message parts walked before parsing stops. */
#define MIME_DEPTH_MAX 16
/* MIME parts walked in one message before parsing stops. */
#define MIME_PARTS_MAX 200
/* Decoded text kept from the body (all readable parts together). */
#define TEXT_MAX (2u * 1024u * 1024u)
/* text/plain attachments kept as candidate forms, and their size each. */
#define TEXT_ATTACHMENTS_MAX 8
#define TEXT_ATTACHMENT_MAX (256u * 1024u)
/* Attached documents read as forms (.odt, .docx: src/mail/document.c), a
 * zip of XML: attachments read per message; bytes of one attachment (the
 * zip itself); entries in its central directory; uncompressed bytes of the
 * one XML entry read (content.xml, word/document.xml). Past any of them the
 * document is not read and the person is asked to paste its text. The XML
 * is parsed without network (XML_PARSE_NONET), DTD loading or entity
 * substitution, and a document declaring a DTD is refused. */
#define DOCUMENTS_MAX 4
#define DOCUMENT_BYTES_MAX (8u * 1024u * 1024u)
#define DOCUMENT_ENTRIES_MAX 1000u
#define DOCUMENT_XML_MAX (16u * 1024u * 1024u)
/* One field value read from a form, before schema limits apply. */
#define FIELD_VALUE_MAX (16u * 1024u)
/* Fields (lines with a label) read from one form. */
#define FORM_FIELDS_MAX 200
/* One configuration value. */
#define CONFIG_VALUE_MAX 4096
/* Messages taken from one mailbox in one fetch pass; the rest waits for
 * the next pass. */
#define INTAKE_PASS_MAX 10000
/* The daemon reads a file of a Maildir's new/ only once it has not changed
 * for this long (seconds): a writer that skips tmp/ (cp) is not read
 * half-way. A one-shot `essaim fetch` reads every file at once. */
#define INTAKE_MAILDIR_SETTLE 2
/* fetch commits its batch transaction after this many messages or this many
 * seconds, whichever comes first, and only then acknowledges them at the
 * mailbox. Longer batches save little (a commit is one fsync) and hold the
 * write lock longer against a concurrent ingest. */
#define FETCH_BATCH_MAX 100u
#define FETCH_BATCH_SECONDS 1
/* The database's log (essaim.db-wal) past which the process that closes
 * the database truncates it: each process that opens the database first
 * reads the whole log to rebuild its index (one pread and a checksum per
 * page), and a log that only one-transaction processes write never starts
 * over by itself. An `ingest` adds 230 to 290 KB (28 to 35 pages of 8 KiB):
 * at 4 MiB the next ones read 250 pages on average before their first
 * statement, at 1 MiB fewer than 64, for one copy of the log into the
 * database (two more fsyncs) every fourth message or so. */
#define STORE_WAL_BYTES_MAX (1024u * 1024u)
/* A fetch pass reads, hashes and parses the next Maildir messages in a
 * second thread while it stores the current one (intake/readahead.h). The
 * messages read and not yet stored are at most FETCH_AHEAD_MAX, and the
 * thread reads another one only while their bytes are under
 * FETCH_AHEAD_BYTES: at most FETCH_AHEAD_BYTES plus one message's
 * (max_message_bytes) in hand, raw, besides what their parse holds (the
 * text a person reads is capped by TEXT_MAX and the MIME limits). */
#define FETCH_AHEAD_MAX 16u
#define FETCH_AHEAD_BYTES (16u * 1024u * 1024u)
/* SQLite page cache of a fetch pass, in KiB. */
#define FETCH_CACHE_KIB 16384
/* UIDs asked for in one IMAP UID SEARCH (a window of UIDs), so that the
 * answer stays a short line. */
#define IMAP_UID_WINDOW 1000u
/* Bytes of one line of an IMAP answer to our own commands (SEARCH, STATUS). */
#define IMAP_LINE_MAX (64u * 1024u)
/* Moderators in [moderation] moderators. */
#define MODERATORS_MAX 64
/* The gazetteer tables (data/communes.tsv and data/departements.tsv, which
 * data_dir may override): bytes and rows read before the load is refused. */
#define GAZETTEER_BYTES_MAX (16u * 1024u * 1024u)
#define GAZETTEER_ROWS_MAX 200000u
/* A commune name looked up in the gazetteer; a longer one matches nothing. */
#define GAZETTEER_NAME_MAX 200u
/* An entry name compared for duplicates by edit distance; longer folded
 * names are only compared for equality. */
#define PLACE_NAME_MAX 400u

/* An e-mail address we write to (RFC 5321 path limit). */
#define ADDRESS_MAX 254
/* A Message-ID repeated in In-Reply-To / References. */
#define MESSAGE_ID_MAX 250
/* Message-IDs kept in the References of an answer (the most recent). */
#define REFERENCES_MAX 20
/* Characters of a subject we write; a longer one is cut with "…". */
#define SUBJECT_OUT_MAX 200
/* Outgoing mail: first retry after this many seconds, doubling each time up
 * to OUTBOX_BACKOFF_MAX; a mail still not accepted OUTBOX_GIVE_UP seconds
 * after it was queued fails for good. */
#define OUTBOX_BACKOFF_FIRST 60
#define OUTBOX_BACKOFF_MAX (6 * 3600)
#define OUTBOX_GIVE_UP (5 * 86400)
/* Mails sent in one pass of `essaim send`. */
#define OUTBOX_BATCH_MAX 500
/* After the server accepted a mail, a failed mark "sent" is tried again
 * this many times, this many milliseconds apart, before the pass stops. */
#define OUTBOX_MARK_RETRIES 3
#define OUTBOX_MARK_RETRY_MS 200
/* A delivery report: bytes of its message/delivery-status part read, and
 * characters of a diagnostic kept (the rest is cut with "…"). */
#define BOUNCE_STATUS_MAX (64u * 1024u)
#define BOUNCE_DIAGNOSTIC_MAX 500
/* Characters of a person's line quoted back in a question (reply_unsure);
 * a longer one is cut with "…". */
#define REPLY_LINE_SHOWN_MAX 160
/* SMTP: seconds to connect, and for a whole transaction. */
#define SMTP_CONNECT_TIMEOUT 30
#define SMTP_TIMEOUT 300

/* Online geocoding: the largest answer read (a FeatureCollection of a few
 * features is a few kilobytes), the longest address sent, the least
 * interval between two requests (the service allows 50 per second; essaim
 * asks at most 10), the longest wait after failures. */
#define GEOCODER_BODY_MAX (256u * 1024u)
#define GEOCODER_QUERY_MAX 200u
#define GEOCODER_INTERVAL_USEC (G_USEC_PER_SEC / 10)
#define GEOCODER_BACKOFF_MAX (24 * 3600)

#endif
