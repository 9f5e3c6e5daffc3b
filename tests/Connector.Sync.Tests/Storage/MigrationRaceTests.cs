using Connector.Storage;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Sync.Tests.Storage;

/// <summary>Replicas start together and each migrates at start: on every engine, one applies each version and the others wait and apply nothing.</summary>
[TestFixture]
public sealed class MigrationRaceTests
{
    [TestCase(nameof(StorageProvider.Sqlite))]
    [TestCase(nameof(StorageProvider.Postgres))]
    public async Task MigrateAsync_FourReplicasStartingAtOnce_ApplyEachVersionExactlyOnce(string providerName)
    {
        var provider = Enum.Parse<StorageProvider>(providerName);

        // Arrange
        await using var db = await TestDatabase.OfAsync(provider);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 15, 9, 0, 0, TimeSpan.Zero));
        var versions = Migration.For(provider).Select(m => m.Version).ToList();
        using var start = new ManualResetEventSlim();

        // Act: each replica has its own database object (its own pool), as separate processes would.
        var replicas = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var database = new ConnectorDatabase(Microsoft.Extensions.Options.Options.Create(db.Options));
            start.Wait();
            return await new Migrator(database, time).MigrateAsync(CancellationToken.None);
        })).ToList();
        start.Set();
        var applied = await Task.WhenAll(replicas);

        // Assert
        await using var connection = await db.Database.OpenAsync(CancellationToken.None);
        var recorded = (await connection.QueryAsync<long>("SELECT version FROM schema_version ORDER BY version")).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(applied.SelectMany(a => a).Order(), Is.EqualTo(versions), "each version applied by exactly one replica");
            Assert.That(recorded, Is.EqualTo(versions.Select(v => (long)v)));
        }
    }
}
