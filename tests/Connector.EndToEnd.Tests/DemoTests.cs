using UglyToad.PdfPig;

namespace Connector.EndToEnd.Tests;

/// <summary>
/// <c>connector demo</c> as a new user runs it: every customer's invoice in its language with the tax its country
/// calls for, from the demo's Spanish entity, and the cancellations' credit notes in every language, each a small PDF
/// in out/ with its UBL file beside it, which the official validators accept.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DemoTests
{
    [Test]
    [CancelAfter(120_000)]
    public async Task Demo_RunTwice_WritesInvoicesAndCreditNotesInEveryLanguageOnce(CancellationToken cancellationToken)
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("connector-demo-test-");
        var database = Path.Combine(directory.FullName, "demo.db");
        var output = Path.Combine(directory.FullName, "out");
        try
        {
            // Act
            var first = await CliRunner.RunAsync(cancellationToken, "demo", "--database", database, "--out", output);
            var files = Directory.GetFiles(output, "*.pdf").ToDictionary(f => Path.GetFileName(f), f => File.ReadAllBytes(f), StringComparer.Ordinal);
            var texts = files.ToDictionary(f => f.Key, f => Text(f.Value), StringComparer.Ordinal);
            var ublFiles = Directory.GetFiles(output, "*.xml").Where(f => !f.EndsWith(".verifactu.xml", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            var fatal = EInvoiceValidator.Fatal(ublFiles);
            var second = await CliRunner.RunAsync(cancellationToken, "demo", "--database", database, "--out", output);
            (int Exit, string Output, string Error) verify, tampered;
            using (var environment = new EnvironmentScope())
            {
                environment.Set("Connector__Storage__ConnectionString", $"Data Source={database}");
                verify = await CliRunner.RunAsync(cancellationToken, "verifactu", "verify");
                await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False"))
                {
                    await connection.OpenAsync(cancellationToken);
                    await using var edit = connection.CreateCommand();
                    edit.CommandText = "UPDATE verifactu_record SET xml = replace(xml, '<sum1:TipoFactura>F1', '<sum1:TipoFactura>F2') WHERE sequence = 3";
                    await edit.ExecuteNonQueryAsync(cancellationToken);
                }

                tampered = await CliRunner.RunAsync(cancellationToken, "verifactu", "verify");
            }

            // Assert
            string Of(string customer) => texts.Single(t => t.Key.StartsWith("INV-", StringComparison.Ordinal) && t.Value.Contains(customer, StringComparison.Ordinal)).Value;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(first.Exit, Is.Zero, first.Error);
                Assert.That(first.Output, Does.Contain("Credit notes posted: 4").And.Contain("corrects INV-"));
                Assert.That(files.Keys, Has.Exactly(5).StartsWith("INV-").And.Exactly(4).StartsWith("CN-"));
                Assert.That(files.Where(f => f.Value.Length > 40_000).Select(f => f.Key), Is.Empty, "every PDF stays under 40 KB");
                Assert.That(ublFiles.Select(Path.GetFileNameWithoutExtension), Is.EquivalentTo(files.Keys.Select(Path.GetFileNameWithoutExtension)), "a UBL file beside every PDF");
                Assert.That(fatal, Is.Empty, "every UBL file passes the UBL 2.1 schema and the EN 16931 rules");

                Assert.That(Of("Acme Iberia SL"), Does.Contain("FACTURA").And.Contain("IVA 21% sobre 5.545,25 €").And.Contain("Total factura").And.Contain("6.709,75 €")
                    .And.Contain("Ejemplo Software SL").And.Contain("NIF: B87654321").And.Contain("ES91 2100 0418 4502 0005 1332"));
                Assert.That(Of("Globex GmbH"), Does.Contain("RECHNUNG").And.Contain("Steuerschuldnerschaft des Leistungsempfängers").And.Contain("USt-IdNr.: DE123456789"));
                Assert.That(Of("Nordlys ApS"), Does.Contain("FAKTURA").And.Contain("Omvendt betalingspligt").And.Contain("2.400,00 €"));
                Assert.That(Of("Initech Ltd"), Does.Contain("INVOICE").And.Contain("Not subject to VAT"));
                Assert.That(Of("Dubai"), Does.Contain("INVOICE").And.Contain("Not subject to VAT"));
                Assert.That(Missing("شركة الأمل للتجارة", Of("Dubai")), Is.Empty, "the Arabic name prints every letter");

                string Note(string title) => texts.Single(t => t.Key.StartsWith("CN-", StringComparison.Ordinal) && t.Value.Contains(title, StringComparison.Ordinal)).Value;
                Assert.That(Note("KREDITNOTA"), Does.Contain("Krediterer faktura INV-").And.Contain("Årsag: Ændring af den aftalte ydelse").And.Contain("1.800,00 €"));
                Assert.That(Note("FACTURA RECTIFICATIVA"), Does.Contain("Rectifica la factura INV-").And.Contain("Motivo de la rectificación").And.Contain("1.210,00 €"));
                Assert.That(Note("RECHNUNGSKORREKTUR"), Does.Contain("Korrektur der Rechnung INV-").And.Contain("Steuerschuldnerschaft des Leistungsempfängers"));
                Assert.That(Note("CREDIT NOTE"), Does.Contain("Corrects invoice INV-").And.Contain("Reason: Change to the contracted service"));

                Assert.That(Of("Acme Iberia SL"), Does.Contain("QR tributario:").And.Contain("VERI*FACTU"), "the Spanish entity has VERI*FACTU on");
                Assert.That(Directory.GetFiles(output, "*.verifactu.xml"), Has.Length.EqualTo(9), "a registration record per invoice and credit note");
                Assert.That(first.Output, Does.Contain("VERI*FACTU records of B87654321: 9").And.Contain("intact"));
                Assert.That((verify.Exit, verify.Output.Trim()), Is.EqualTo((0, "B87654321: 9 records, every fingerprint recomputed, chain intact.")), verify.Error);
                Assert.That(tampered.Exit, Is.EqualTo(1), "an edited record fails the check");
                Assert.That(tampered.Output, Does.Contain("BROKEN at record 3").And.Contain("changed after it was written"), "and it is named where it was edited");

                Assert.That(second.Exit, Is.Zero, second.Error);
                Assert.That(second.Output, Does.Contain("Invoices posted:     0").And.Not.Contain("Credit notes posted"), "the second run posts nothing new");
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The letters of <paramref name="name"/> that <paramref name="text"/> has fewer of (right-to-left text reads back in visual order).</summary>
    private static List<char> Missing(string name, string text)
    {
        var printed = text.Normalize(System.Text.NormalizationForm.FormKC).Where(char.IsLetter).CountBy(c => c).ToDictionary();
        return [.. name.Where(char.IsLetter).CountBy(c => c).Where(c => printed.GetValueOrDefault(c.Key) < c.Value).Select(c => c.Key)];
    }

    private static string Text(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text)) + "\n" + p.Text));
    }
}
