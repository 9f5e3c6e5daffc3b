-- VERI*FACTU registration records (RD 1007/2023): one chain per issuer NIF, in sequence, each record holding the
-- previous one's fingerprint. Written in the posting transaction of the document it registers and never changed; only
-- its submission status and AEAT's answer are. xml is the record in AEAT's structure (SuministroInformacion.xsd).
CREATE TABLE verifactu_record (
    id           INTEGER PRIMARY KEY,
    issuer_nif   TEXT    NOT NULL,
    sequence     INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    number       TEXT    NOT NULL,
    issued_on    TEXT    NOT NULL,
    huella       TEXT    NOT NULL,
    xml          TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    answer       TEXT    NULL,
    created_at   TEXT    NOT NULL,
    sent_at      TEXT    NULL,
    UNIQUE (issuer_nif, sequence),
    UNIQUE (issuer_nif, kind, number)
);
