namespace Connector.Invoicing.Storage;

internal sealed partial record BookSql
{
    /// <summary>The billing ledger's statements: what each document charged per (line, piece), written by a save, read by a load.</summary>
    private static partial class Common
    {
        /// <summary>
        /// The entries of lines whose whole periods end in @Years (each year from the first one asked for to the last
        /// stored, <see cref="SelectBillingEntryYears"/>): the index is led by the year, so each (year, line) is one seek.
        /// </summary>
        public const string SelectBillingEntries = BillingEntryColumns + """

            WHERE  whole_year IN @Years AND line_id IN @LineIds
            ORDER BY id
            """;

        /// <summary>The entries of whole periods ending on or after a day (the settled ones before it are left in the store).</summary>
        public const string SelectBillingEntriesSince = BillingEntryColumns + """

            WHERE  whole_year IN @Years AND line_id IN @LineIds AND whole_end >= @Since
            ORDER BY id
            """;

        /// <summary>The first and the last year a stored entry's whole period ends in (NULL and NULL: none); two index seeks.</summary>
        public const string SelectBillingEntryYears = """
            SELECT (SELECT MIN(whole_year) FROM billing_entry) AS First,
                   (SELECT MAX(whole_year) FROM billing_entry) AS Last
            """;

        private const string BillingEntryColumns = """
            SELECT id              AS Id,
                   line_id         AS LineId,
                   piece_start     AS PieceStart,
                   period_start    AS PeriodStart,
                   period_end      AS PeriodEnd,
                   whole_start     AS WholeStart,
                   whole_end       AS WholeEnd,
                   factor          AS Factor,
                   net_minor       AS NetMinor,
                   document_number AS DocumentNumber,
                   document_line   AS DocumentLine,
                   invoice_number  AS InvoiceNumber,
                   CAST(is_invoice AS INT) AS IsInvoice
            FROM   billing_entry
            """;

        public const string InsertBillingEntry = """
            INSERT INTO billing_entry (line_id, piece_start, period_start, period_end, whole_start, whole_end, factor, net_minor,
                                       document_number, document_line, invoice_number, is_invoice)
            VALUES (@LineId, @PieceStart, @PeriodStart, @PeriodEnd, @WholeStart, @WholeEnd, @Factor, @NetMinor,
                    @DocumentNumber, @DocumentLine, @InvoiceNumber, @IsInvoice)
            """;
    }
}
