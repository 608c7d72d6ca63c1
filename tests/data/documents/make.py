#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the attached-document test files of tests/data/documents/ (issue 16,
item 9): small forms as OpenDocument text and Office Open XML, and hostile
zips essaim must refuse cleanly. Run from anywhere; the files are committed,
this script says how they were made:

  form.odt            a form in paragraphs (spans, spaces, a note and a
                      comment that are not read)
  form-table.docx     a form as a two-column table, a deleted revision
  letter.docx         a letter, no form in it
  bomb.docx           word/document.xml of 64 MiB of blanks (a zip bomb)
  bomb-lying.odt      the same, its zip headers claiming 1000 bytes
  many-entries.odt    1200 entries in the zip
  entities.docx       a billion-laughs DTD in word/document.xml
  not-a-zip.docx      text named .docx
"""
import os
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/"')
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
            ' manifest:version="1.2">\n'
            ' <manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.text"/>\n'
            ' <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>\n'
            '</manifest:manifest>\n')

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/word/document.xml" ContentType="application/'
                 'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                 '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def odt(path, content, extra=()):
    with zipfile.ZipFile(path, "w") as z:
        # the mimetype entry comes first and is stored (ODF 1.2, 3.3)
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in extra:
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)


def docx(path, document):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", document)


def odf_p(text):
    return "<text:p>%s</text:p>" % text


FORM_ODT = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<office:document-content %s office:version="1.2"><office:body><office:text>\n'
            % ODF_NS + "\n".join([
                odf_p("Formulaire d&apos;inscription"),
                odf_p("Type : initiative"),
                odf_p('Nom : <text:span>Les Paniers</text:span> <text:span>de la Durance</text:span>'
                      '<text:note><text:note-body><text:p>Nom : une note, pas le nom</text:p>'
                      '</text:note-body></text:note>'),
                odf_p("Structure porteuse :<text:s text:c=\"3\"/>Association Durance Solidaire"),
                odf_p("Statut de la structure : association"),
                odf_p("Commune : Lauris"),
                odf_p("Code postal : 84360"),
                odf_p("<office:annotation><dc:creator>Léa</dc:creator><text:p>Commune : Paris"
                      "</text:p></office:annotation>État d&apos;avancement : en expérimentation"),
                odf_p("Description : Des paniers de légumes conventionnés, payés par une caisse"
                      "<text:line-break/>commune alimentée par les cotisations."),
                odf_p("Personne référente : Léa Martin"),
                odf_p("Adhésion à la charte : oui"),
            ]) + "\n</office:text></office:body></office:document-content>\n")


def w_p(*runs):
    return "<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr>%s</w:p>" % "".join(
        "<w:r><w:t xml:space=\"preserve\">%s</w:t></w:r>" % r for r in runs)


def w_row(label, value):
    return "<w:tr><w:tc>%s</w:tc><w:tc>%s</w:tc></w:tr>" % (w_p(label), w_p(value))


FORM_DOCX = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<w:document %s><w:body>' % W_NS
             + w_p("Inscription d’une initiative locale")
             + "<w:tbl>"
             + w_row("Type", "initiative")
             + w_row("Nom", "La Cantine")
             + "<w:tr><w:tc>%s</w:tc><w:tc><w:p><w:r><w:t>des </w:t></w:r>"
               "<w:del w:id=\"1\" w:author=\"x\"><w:r><w:delText>Faux </w:delText></w:r></w:del>"
               "<w:r><w:t>Quartiers Nord</w:t></w:r></w:p></w:tc></w:tr>" % w_p("Structure porteuse :")
             + w_row("Statut de la structure", "collectif informel")
             + w_row("Commune", "Lauris")
             + w_row("Code postal", "84360")
             + w_row("État d’avancement", "en fonctionnement")
             + w_row("Description", "Une cantine à prix choisi, approvisionnée par les fermes du coin.")
             + w_row("Personne référente", "Sam Benali")
             + w_row("Adhésion à la charte", "oui")
             + "</w:tbl>"
             + w_p("Merci !")
             + "</w:body></w:document>")

BLANKS = 64 * 1024 * 1024

ENTITIES = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join('<!ENTITY lol%d "%s">' % (i, ("&lol%d;" % (i - 1) if i > 1 else "&lol;") * 10)
                      for i in range(1, 10))
            + ']>\n<w:document %s><w:body>%s</w:body></w:document>\n' % (W_NS, w_p("Nom : &lol9;")))


def lying_sizes(path, claimed):
    """Rewrite the uncompressed size of content.xml in both its headers."""
    data = bytearray(open(path, "rb").read())
    name = b"content.xml"
    # local file header: signature, then the size at offset 22
    i = 0
    while True:
        i = data.find(b"PK\x03\x04", i)
        if i < 0:
            break
        n = struct.unpack_from("<H", data, i + 26)[0]
        if data[i + 30:i + 30 + n] == name:
            struct.pack_into("<I", data, i + 22, claimed)
        i += 4
    i = 0
    while True:
        i = data.find(b"PK\x01\x02", i)
        if i < 0:
            break
        n = struct.unpack_from("<H", data, i + 28)[0]
        if data[i + 46:i + 46 + n] == name:
            struct.pack_into("<I", data, i + 24, claimed)
        i += 4
    open(path, "wb").write(bytes(data))


def main():
    odt(os.path.join(HERE, "form.odt"), FORM_ODT)
    docx(os.path.join(HERE, "form-table.docx"), FORM_DOCX)
    docx(os.path.join(HERE, "letter.docx"),
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document %s><w:body>' % W_NS
         + w_p("Bonjour,") + w_p("Nous aimerions figurer sur la carte avec notre épicerie.")
         + w_p("Bien à vous, Léa") + "</w:body></w:document>")
    bomb = ('<?xml version="1.0"?><w:document %s><w:body>' % W_NS + " " * BLANKS
            + "</w:body></w:document>")
    docx(os.path.join(HERE, "bomb.docx"), bomb)
    odt(os.path.join(HERE, "bomb-lying.odt"),
        '<?xml version="1.0"?><office:document-content %s>' % ODF_NS + " " * BLANKS
        + "</office:document-content>")
    lying_sizes(os.path.join(HERE, "bomb-lying.odt"), 1000)
    odt(os.path.join(HERE, "many-entries.odt"), FORM_ODT,
        [("p/%d" % i, "") for i in range(1200)])
    docx(os.path.join(HERE, "entities.docx"), ENTITIES)
    with open(os.path.join(HERE, "not-a-zip.docx"), "w") as f:
        f.write("Nom : ceci n'est pas un document\n")


if __name__ == "__main__":
    main()
