using Connector.Storage;

namespace Connector.Invoicing.VeriFactu;

/// <summary>The VERI*FACTU registration records: appended in sequence per issuer, read back in that order, their submission status kept.</summary>
[SqlCatalog]
internal sealed record VeriFactuSql
{
    public string SelectLast { get; init; } = Common.SelectLast;

    public string InsertRecord { get; init; } = Common.InsertRecord;

    public string CountAltas { get; init; } = Common.CountAltas;

    public string SelectChain { get; init; } = Common.SelectChain;

    public string SelectIssuers { get; init; } = Common.SelectIssuers;

    public string SelectPending { get; init; } = Common.SelectPending;

    public string SelectIssuedBetween { get; init; } = Common.SelectIssuedBetween;

    public string UpdateStatus { get; init; } = Common.UpdateStatus;

    public static VeriFactuSql Sqlite { get; } = new();

    public static VeriFactuSql SqlServer { get; } = new();

    public static VeriFactuSql Postgres { get; } = SqlDialect.ForPostgres(new VeriFactuSql());

    public static VeriFactuSql For(StorageProvider provider) => SqlDialect.Pick(provider, Sqlite, SqlServer, Postgres);

    private static class Common
    {
        private const string Columns = """
            SELECT id AS Id, issuer_nif AS IssuerNif, sequence AS Sequence, kind AS Kind, number AS Number, issued_on AS IssuedOn,
                   huella AS Huella, xml AS Xml, status AS Status, answer AS Answer
            FROM   verifactu_record
            """;

        public const string SelectLast = Columns + """

            WHERE  issuer_nif = @IssuerNif
              AND  sequence = (SELECT MAX(sequence) FROM verifactu_record WHERE issuer_nif = @IssuerNif)
            """;

        public const string InsertRecord = """
            INSERT INTO verifactu_record (issuer_nif, sequence, kind, number, issued_on, huella, xml, status, created_at)
            VALUES (@IssuerNif, @Sequence, @Kind, @Number, @IssuedOn, @Huella, @Xml, @Status, @CreatedAt)
            """;

        public const string CountAltas = """
            SELECT COUNT(*) FROM verifactu_record WHERE issuer_nif = @IssuerNif AND kind = 'Alta' AND number = @Number
            """;

        public const string SelectChain = Columns + "\nWHERE issuer_nif = @IssuerNif\nORDER BY sequence";

        public const string SelectIssuers = "SELECT DISTINCT issuer_nif FROM verifactu_record ORDER BY issuer_nif";

        public const string SelectPending = Columns + "\nWHERE status = 'Pending'\nORDER BY issuer_nif, sequence";

        public const string SelectIssuedBetween = Columns + "\nWHERE issued_on >= @From AND issued_on <= @To\nORDER BY issuer_nif, sequence";

        public const string UpdateStatus = """
            UPDATE verifactu_record SET status = @Status, answer = @Answer, sent_at = @SentAt WHERE id = @Id
            """;
    }
}
