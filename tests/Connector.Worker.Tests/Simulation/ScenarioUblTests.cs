using Connector.Invoicing.Documents;
using Connector.Invoicing.EInvoices;
using Connector.Invoicing.Invoices;
using Connector.Worker.Simulation;

namespace Connector.Worker.Tests.Simulation;

/// <summary>
/// The UBL file of every invoice and credit note the scenario examples post (tests/scenarios), checked by the official
/// validators in one call. Scenario files name no seller, so a complete one issues them; many name no buyer country or
/// VAT id. A document whose data is complete must pass with no fatal error; one that lacks data must fail exactly the
/// rules <see cref="UblWriter.Gaps"/> predicts (what the cycle reports to a person), and no other.
/// </summary>
[TestFixture]
public sealed class ScenarioUblTests
{
    private static readonly Party Seller = new("Ejemplo Software SL", "B87654321", "Calle de Serrano 41", "Madrid", "28001", "ES", EndpointId: "ESB87654321", EndpointScheme: "9920");

    [Test]
    public void Write_EveryDocumentOfEveryScenario_PassesOrFailsExactlyTheRulesItsMissingDataPredicts()
    {
        // Arrange: every posted document of every scenario, printed by a complete seller.
        var folder = Directory.CreateTempSubdirectory("scenario-ubl-");
        try
        {
            var expected = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var files = new List<string>();
            foreach (var path in Directory.GetFiles(Repository.File("tests", "scenarios"), "*.json").Where(f => !f.EndsWith(".expected.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                var result = ScenarioRunner.Run(ScenarioReader.Read(File.ReadAllText(path)));
                foreach (var printed in Printed(result))
                {
                    var name = $"{Path.GetFileNameWithoutExtension(path)}.{printed.Document.Number}.xml";
                    var file = Path.Combine(folder.FullName, name);
                    File.WriteAllBytes(file, UblWriter.Write(printed));
                    files.Add(file);
                    expected[name] = [.. UblWriter.Gaps(printed).Select(g => g.Rule).Distinct().Order(StringComparer.Ordinal)];
                }
            }

            // Act
            var fatal = EInvoiceValidator.Fatal(files);

            // Assert
            var actual = files.Select(Path.GetFileName).ToDictionary(n => n!, n => fatal.TryGetValue(n!, out var f) ? f.Select(r => r[..r.IndexOf(':', StringComparison.Ordinal)]).Distinct().Order(StringComparer.Ordinal).ToArray() : []);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(files, Has.Count.GreaterThan(50), "the scenarios post many documents");
                Assert.That(expected.Values.Count(g => g.Length == 0), Is.GreaterThan(0), "some scenarios have complete data");
                Assert.That(actual.Where(a => !a.Value.SequenceEqual(expected[a.Key])).Select(a => $"{a.Key}: validators {string.Join(",", a.Value)}; predicted {string.Join(",", expected[a.Key])}"),
                    Is.Empty, "documents whose fatal rules differ from the gaps predicted");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The scenario's invoices, and its credit notes with the parties of the invoice they correct (or the account's).</summary>
    private static IEnumerable<PrintedDocument> Printed(SimulationResult result)
    {
        var invoices = result.Book.Ledger.Invoices.ToDictionary(i => i.Number, StringComparer.Ordinal);
        foreach (var invoice in invoices.Values)
        {
            yield return PrintedDocument.Of(invoice with { Seller = Seller });
        }

        foreach (var note in result.Book.Ledger.CreditNotes)
        {
            var buyer = note.CorrectsNumber is { } corrected ? invoices[corrected].Buyer : result.Book.Account(note.AccountId).AsParty("en");
            yield return PrintedDocument.Of(note, Seller, buyer);
        }
    }
}
