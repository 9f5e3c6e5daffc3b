-- VERI*FACTU registration records (RD 1007/2023): one chain per issuer NIF, in sequence, each record holding the
-- previous one's fingerprint. Written in the posting transaction of the document it registers and never changed; only
-- its submission status and AEAT's answer are. xml is the record in AEAT's structure (SuministroInformacion.xsd).
CREATE TABLE verifactu_record (
    id           BIGINT IDENTITY(1,1) PRIMARY KEY,
    issuer_nif   VARCHAR(9)     NOT NULL,
    sequence     BIGINT         NOT NULL,
    kind         VARCHAR(20)    NOT NULL,
    number       NVARCHAR(60)   NOT NULL,
    issued_on    CHAR(10)       NOT NULL,
    huella       CHAR(64)       NOT NULL,
    xml          NVARCHAR(MAX)  NOT NULL,
    status       VARCHAR(30)    NOT NULL,
    answer       NVARCHAR(MAX)  NULL,
    created_at   VARCHAR(40)    NOT NULL,
    sent_at      VARCHAR(40)    NULL,
    CONSTRAINT uq_verifactu_chain UNIQUE (issuer_nif, sequence),
    CONSTRAINT uq_verifactu_document UNIQUE (issuer_nif, kind, number)
);
