using Connector.Invoicing.Billing;
using Connector.Invoicing.Runs;
using Microsoft.Extensions.Options;

namespace Connector.Invoicing.VeriFactu;

/// <summary>
/// Sends the Pending registration records to AEAT when Connector:VeriFactu:Sender is Aeat (off by default): each
/// issuer's in chain order, up to 1,000 a submission, and keeps AEAT's answer on each record. A submission that fails
/// as a whole leaves that issuer's records Pending for the next cycle (the chain is sent in order, so nothing after it
/// goes first); a rejected record is reported for a person to correct with a new record.
/// </summary>
internal sealed class VeriFactuSubmission(VeriFactuLedger ledger, IVeriFactuSender sender, IOptions<VeriFactuOptions> options, IOptions<BillingOptions> billing)
{
    public async Task<SubmissionResult> SendPendingAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.SendsToAeat)
        {
            return new SubmissionResult(0, 0, []);
        }

        var settings = BookSettings.From(billing.Value);
        var (sent, rejected, warnings) = (0, 0, new List<string>());
        foreach (var issuer in (await ledger.PendingAsync(cancellationToken)).GroupBy(r => r.IssuerNif, StringComparer.Ordinal))
        {
            var name = settings.Entities.Select(e => e.Seller).FirstOrDefault(s => Nif.Of(s.TaxId) == issuer.Key)?.Name ?? issuer.Key;
            foreach (var batch in issuer.Chunk(AeatSoapSender.MaxRecords))
            {
                var answer = await sender.SendAsync(issuer.Key, name, batch, cancellationToken);
                if (answer.Failure is { } failure)
                {
                    warnings.Add($"VERI*FACTU records of {issuer.Key} were not sent: {failure}. They stay Pending and are sent again next cycle.");
                    break;
                }

                await ledger.MarkAsync(answer.Records, cancellationToken);
                sent += answer.Records.Count;
                foreach (var (id, status, said) in answer.Records.Where(r => r.Status == RecordStatus.Rejected))
                {
                    rejected++;
                    warnings.Add($"{batch.First(r => r.Id == id).Number}: AEAT rejected its VERI*FACTU record ({said}); correct the data and register it again.");
                }
            }
        }

        return new SubmissionResult(sent, rejected, warnings);
    }
}

/// <summary>What one sending pass did: records AEAT answered for, those it rejected, and what a person should know.</summary>
internal sealed record SubmissionResult(int Sent, int Rejected, IReadOnlyList<string> Warnings);
