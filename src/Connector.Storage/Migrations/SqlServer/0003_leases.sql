CREATE TABLE lease (
    name         VARCHAR(80)   NOT NULL PRIMARY KEY,
    holder       NVARCHAR(200) NOT NULL,
    expires_at   VARCHAR(40)   NOT NULL,
    acquired_at  VARCHAR(40)   NOT NULL
);
