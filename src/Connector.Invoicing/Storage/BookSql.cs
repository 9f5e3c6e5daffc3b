using Connector.Storage;

namespace Connector.Invoicing.Storage;

/// <summary>The billing book's statements: loading an account batch whole, and appending what a run or a receivables event added. Statements the dialects share are written once; the others per dialect (PostgreSQL's start from SQLite's).</summary>
[SqlCatalog]
internal sealed partial record BookSql
{
    public required string InsertInvoice { get; init; }

    public required string InsertCreditNote { get; init; }

    public string InsertInvoiceLine { get; init; } = Common.InsertInvoiceLine;

    public string InsertInvoiceTax { get; init; } = Common.InsertInvoiceTax;

    public string SelectInvoiceLines { get; init; } = Common.SelectInvoiceLines;

    public string SelectInvoiceTaxes { get; init; } = Common.SelectInvoiceTaxes;

    public string SelectAccountIdsWithLines { get; init; } = Common.SelectAccountIdsWithLines;

    public string SelectAccountCurrencies { get; init; } = Common.SelectAccountCurrencies;

    public string SelectAccountNames { get; init; } = Common.SelectAccountNames;

    public string CountOrdersOfInvoiceBatch { get; init; } = Common.CountOrdersOfInvoiceBatch;

    public string SelectLinesOfOrders { get; init; } = Common.SelectLinesOfOrders;

    public string SelectBillableLinesOfAccounts { get; init; } = Common.SelectBillableLinesOfAccounts;

    public string SelectBillingEntries { get; init; } = Common.SelectBillingEntries;

    public string SelectBillingEntriesSince { get; init; } = Common.SelectBillingEntriesSince;

    public string SelectBillingEntryYears { get; init; } = Common.SelectBillingEntryYears;

    public string SelectInvoicesOfAccounts { get; init; } = Common.SelectInvoicesOfAccounts;

    public string SelectInvoicesOfAccountsFrom { get; init; } = Common.SelectInvoicesOfAccountsFrom;

    public string SelectOpenInvoicesOfAccounts { get; init; } = Common.SelectOpenInvoicesOfAccounts;

    public string SelectClosedInvoiceSums { get; init; } = Common.SelectClosedInvoiceSums;

    public string SelectInvoicesByNumber { get; init; } = Common.SelectInvoicesByNumber;

    public string SelectInvoiceParties { get; init; } = Common.SelectInvoiceParties;

    public string SelectInvoiceWithholdings { get; init; } = Common.SelectInvoiceWithholdings;

    public string SelectInvoiceInstallments { get; init; } = Common.SelectInvoiceInstallments;

    public string SelectSplitInstallments { get; init; } = Common.SelectSplitInstallments;

    public string SelectCreditNotesOfAccounts { get; init; } = Common.SelectCreditNotesOfAccounts;

    public string SelectCreditNoteLines { get; init; } = Common.SelectCreditNoteLines;

    public string SelectCreditNoteTaxes { get; init; } = Common.SelectCreditNoteTaxes;

    public string SelectCreditNoteWithholdings { get; init; } = Common.SelectCreditNoteWithholdings;

    public string SelectPaymentsOfAccounts { get; init; } = Common.SelectPaymentsOfAccounts;

    public string SelectAllocationsOfAccounts { get; init; } = Common.SelectAllocationsOfAccounts;

    public string SelectRefundsOfAccounts { get; init; } = Common.SelectRefundsOfAccounts;

    public string SelectAllocationsWithInvoicesOfAccounts { get; init; } = Common.SelectAllocationsWithInvoicesOfAccounts;

    public string SelectDisputesOfAccounts { get; init; } = Common.SelectDisputesOfAccounts;

    public string SelectNumberSeries { get; init; } = Common.SelectNumberSeries;

    public string AdvanceNumberSeries { get; init; } = Common.AdvanceNumberSeries;

    public string InsertNumberSeries { get; init; } = Common.InsertNumberSeries;

    public string SelectInvoiceIdByNumber { get; init; } = Common.SelectInvoiceIdByNumber;

    public string InsertInvoiceWithholding { get; init; } = Common.InsertInvoiceWithholding;

    public string InsertInvoiceInstallment { get; init; } = Common.InsertInvoiceInstallment;

    public string InsertCreditNoteLine { get; init; } = Common.InsertCreditNoteLine;

    public string InsertCreditNoteTax { get; init; } = Common.InsertCreditNoteTax;

    public string InsertCreditNoteWithholding { get; init; } = Common.InsertCreditNoteWithholding;

    public string InsertBillingEntry { get; init; } = Common.InsertBillingEntry;

    public string InsertPayment { get; init; } = Common.InsertPayment;

    public string InsertPaymentReversal { get; init; } = Common.InsertPaymentReversal;

    public string InsertAllocation { get; init; } = Common.InsertAllocation;

    public string InsertRefund { get; init; } = Common.InsertRefund;

    public string InsertDispute { get; init; } = Common.InsertDispute;

    public string InsertDisputeResolution { get; init; } = Common.InsertDisputeResolution;

    public static BookSql Sqlite { get; } = new()
    {
        InsertInvoice = """
            INSERT INTO invoice (number, status, account_id, currency, issue_date, due_date, seller, buyer,
                                 net_minor, tax_minor, total_minor, posted_at, batch, withheld_minor, order_id)
            VALUES (@Number, 'Posted', @AccountId, @Currency, @IssueDate, @DueDate, @Seller, @Buyer,
                    @NetMinor, @TaxMinor, @TotalMinor, @PostedAt, @Batch, @WithheldMinor, @OrderId)
            RETURNING id
            """,
        InsertCreditNote = """
            INSERT INTO credit_note (number, account_id, currency, issue_date, corrects_invoice_id, corrects_number,
                                     corrects_issue_date, reason, net_minor, tax_minor, withheld_minor, total_minor, posted_at)
            VALUES (@Number, @AccountId, @Currency, @IssueDate, @CorrectsInvoiceId, @CorrectsNumber,
                    @CorrectsIssueDate, @Reason, @NetMinor, @TaxMinor, @WithheldMinor, @TotalMinor, @PostedAt)
            RETURNING id
            """,
    };

    public static BookSql SqlServer { get; } = new()
    {
        InsertInvoice = """
            INSERT INTO invoice (number, status, account_id, currency, issue_date, due_date, seller, buyer,
                                 net_minor, tax_minor, total_minor, posted_at, batch, withheld_minor, order_id)
            OUTPUT inserted.id
            VALUES (@Number, 'Posted', @AccountId, @Currency, @IssueDate, @DueDate, @Seller, @Buyer,
                    @NetMinor, @TaxMinor, @TotalMinor, @PostedAt, @Batch, @WithheldMinor, @OrderId);
            """,
        InsertCreditNote = """
            INSERT INTO credit_note (number, account_id, currency, issue_date, corrects_invoice_id, corrects_number,
                                     corrects_issue_date, reason, net_minor, tax_minor, withheld_minor, total_minor, posted_at)
            OUTPUT inserted.id
            VALUES (@Number, @AccountId, @Currency, @IssueDate, @CorrectsInvoiceId, @CorrectsNumber,
                    @CorrectsIssueDate, @Reason, @NetMinor, @TaxMinor, @WithheldMinor, @TotalMinor, @PostedAt);
            """,
    };

    public static BookSql Postgres { get; } = SqlDialect.ForPostgres(Sqlite with { });

    public static BookSql For(StorageProvider provider) => SqlDialect.Pick(provider, Sqlite, SqlServer, Postgres);

}
