/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tests for src/base/curl_load.c: the libcurl functions essaim defines forward
 * each kind of argument (long, string, callback, curl_off_t, blob; getinfo's
 * long, string and curl_off_t answers) to the libcurl loaded at run time, on
 * a real file:// transfer; when libcurl cannot be loaded (a missing file, a
 * library without curl's symbols), every function fails cleanly.
 */
#include "testutil.h"

#include <curl/curl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

#include "base/curl_load.h"

#define MTIME 1767225600L	/* 2026-01-01 */
#define CONTENT "0123456789abcdefghij"

struct sink {
	GString *got;
	unsigned calls;
};

static size_t
write_cb(char *ptr, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;

	s->calls++;
	g_string_append_len(s->got, ptr, (gssize)(size * n));
	return size * n;
}

/* A temporary file holding CONTENT, modified at MTIME; its file:// URL. */
static char *
temp_file(char **dir)
{
	g_autofree char *path = NULL;
	struct utimbuf t = { MTIME, MTIME };

	*dir = g_dir_make_tmp("essaim-curl-XXXXXX", NULL);
	assert_non_null(*dir);
	path = g_build_filename(*dir, "file.txt", NULL);
	assert_true(g_file_set_contents(path, CONTENT, -1, NULL));
	assert_int_equal(utime(path, &t), 0);
	return g_filename_to_uri(path, NULL, NULL);
}

static void
remove_temp(char *dir)
{
	g_autofree char *path = g_build_filename(dir, "file.txt", NULL);

	g_unlink(path);
	g_rmdir(dir);
	g_free(dir);
}

/* Run FN in a child process with ESSAIM_LIBCURL=FILE: the load happens once
 * per process, so the failure is tried where nothing loaded libcurl yet. */
static void
in_child(const char *file, void (*fn)(const char *file))
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		g_setenv("ESSAIM_LIBCURL", file, TRUE);
		fn(file);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* In the child: exit 1 with a message on the first broken promise. */
#define CHILD_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond); \
		_exit(1); \
	} \
} while (0)

static void
child_unloadable(const char *file)
{
	const char *why = curl_load_error();
	struct curl_slist *l;
	CURL *c;

	CHILD_CHECK(why != NULL);
	CHILD_CHECK(g_str_has_prefix(why, "cannot load "));
	CHILD_CHECK(strstr(why, file) != NULL);
	CHILD_CHECK(curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_FAILED_INIT);
	c = curl_easy_init();
	CHILD_CHECK(c == NULL);
	CHILD_CHECK(curl_easy_setopt(c, CURLOPT_URL, "file:///") == CURLE_FAILED_INIT);
	CHILD_CHECK(curl_easy_perform(c) == CURLE_FAILED_INIT);
	CHILD_CHECK(strcmp(curl_easy_strerror(CURLE_FAILED_INIT), why) == 0);
	l = curl_slist_append(NULL, "Expect:");
	CHILD_CHECK(l == NULL);
	curl_slist_free_all(l);
	curl_easy_cleanup(c);
	curl_global_cleanup();
}

/* A missing file: dlopen fails. */
static void
test_missing_library(void **state)
{
	(void)state;
	in_child("/nonexistent/libcurl.so.4", child_unloadable);
}

/* A real library that is not libcurl: a symbol is missing. */
static void
child_no_symbol(const char *file)
{
	child_unloadable(file);
	CHILD_CHECK(strstr(curl_load_error(), "curl_global_init") != NULL);
}

static void
test_library_without_curl(void **state)
{
	(void)state;
	in_child("libz.so.1", child_no_symbol);
}

static void
test_file_transfer(void **state)
{
	g_autofree char *dir = NULL;
	g_autofree char *url = temp_file(&dir);
	struct sink s = { g_string_new(NULL), 0 };
	CURL *c;
	char *effective = NULL;
	long filetime = 0, code = -1;
	curl_off_t size = 0, length = 0;

	(void)state;
	assert_null(curl_load_error());
	assert_int_equal(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
	c = curl_easy_init();
	assert_non_null(c);
	/* string, long, callback and data pointer, curl_off_t */
	assert_int_equal(curl_easy_setopt(c, CURLOPT_URL, url), CURLE_OK);
	assert_int_equal(curl_easy_setopt(c, CURLOPT_FILETIME, 1L), CURLE_OK);
	assert_int_equal(curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L), CURLE_OK);
	assert_int_equal(curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb), CURLE_OK);
	assert_int_equal(curl_easy_setopt(c, CURLOPT_WRITEDATA, &s), CURLE_OK);
	/* the 64-bit offset read right: the transfer starts at byte 5 */
	assert_int_equal(curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)5), CURLE_OK);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	assert_true(s.calls > 0);
	assert_string_equal(s.got->str, CONTENT + 5);

	/* string, long, curl_off_t answers */
	assert_int_equal(curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &effective), CURLE_OK);
	assert_string_equal(effective, url);
	assert_int_equal(curl_easy_getinfo(c, CURLINFO_FILETIME, &filetime), CURLE_OK);
	assert_int_equal(filetime, MTIME);
	assert_int_equal(curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code), CURLE_OK);
	assert_int_equal(code, 0);	/* file:// has no response code */
	assert_int_equal(curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &size), CURLE_OK);
	assert_int_equal(size, (curl_off_t)strlen(CONTENT) - 5);
	assert_int_equal(curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length),
	    CURLE_OK);
	assert_int_equal(length, (curl_off_t)strlen(CONTENT) - 5);
	curl_easy_cleanup(c);
	g_string_free(s.got, TRUE);
	remove_temp(g_steal_pointer(&dir));
	curl_global_cleanup();
}

/* A long option's value arrives whole: the transfer starts where it says,
 * and from the start again once it is 0. */
static void
test_long_value(void **state)
{
	g_autofree char *dir = NULL;
	g_autofree char *url = temp_file(&dir);
	struct sink s = { g_string_new(NULL), 0 };
	CURL *c = curl_easy_init();

	(void)state;
	assert_non_null(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	assert_int_equal(curl_easy_setopt(c, CURLOPT_RESUME_FROM, 17L), CURLE_OK);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	assert_string_equal(s.got->str, CONTENT + 17);
	g_string_truncate(s.got, 0);
	assert_int_equal(curl_easy_setopt(c, CURLOPT_RESUME_FROM, 0L), CURLE_OK);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	assert_string_equal(s.got->str, CONTENT);
	curl_easy_cleanup(c);
	g_string_free(s.got, TRUE);
	remove_temp(g_steal_pointer(&dir));
}

/* The other kinds: a slist, a blob, an unknown option, an error's text. */
static void
test_other_arguments(void **state)
{
	struct curl_slist *l = curl_slist_append(NULL, "Expect:");
	struct curl_blob blob = { (void *)"not a certificate", 17, CURL_BLOB_COPY };
	CURL *c = curl_easy_init();
	char *none = NULL;

	(void)state;
	assert_non_null(l);
	assert_string_equal(l->data, "Expect:");
	l = curl_slist_append(l, "X-Essaim: 1");
	assert_string_equal(l->next->data, "X-Essaim: 1");
	assert_non_null(c);
	assert_int_equal(curl_easy_setopt(c, CURLOPT_HTTPHEADER, l), CURLE_OK);
	assert_int_equal(curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob), CURLE_OK);
	assert_int_equal(curl_easy_setopt(c, (CURLoption)9999, 0L), CURLE_UNKNOWN_OPTION);
	assert_int_equal(curl_easy_getinfo(c, (CURLINFO)(CURLINFO_TYPEMASK + 1), &none),
	    CURLE_UNKNOWN_OPTION);
	assert_string_equal(curl_easy_strerror(CURLE_COULDNT_CONNECT), "Couldn't connect to server");
	curl_easy_cleanup(c);
	curl_slist_free_all(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		/* the failures first: each child must not inherit a loaded libcurl */
		cmocka_unit_test(test_missing_library),
		cmocka_unit_test(test_library_without_curl),
		cmocka_unit_test(test_file_transfer),
		cmocka_unit_test(test_long_value),
		cmocka_unit_test(test_other_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
