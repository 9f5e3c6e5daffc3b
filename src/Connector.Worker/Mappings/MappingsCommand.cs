using System.CommandLine;
using Connector.Mapping.Profile;
using Connector.Mapping.Validation;
using Connector.Worker.Cli;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.Worker.Mappings;

/// <summary><c>connector mappings validate|explain</c>: what an admin runs before deploying a mapping.</summary>
internal static class MappingsCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var command = new Command("mappings", "Check and preview the admin's mapping file.");
        command.Subcommands.Add(Validate(output, error));
        command.Subcommands.Add(Explain(output, error));
        return command;
    }

    private static Command Explain(TextWriter output, TextWriter error)
    {
        var order = new Option<string?>("--order") { Description = "The Order Id to fetch from the org (with its order products)." };
        var fromFile = new Option<string?>("--from-file") { Description = "Read the order from a JSON file instead: { \"order\": {...}, \"orderItems\": [...] }, records as the REST API returns them." };
        var date = new Option<string?>("--date") { Description = "The run date to preview (yyyy-MM-dd). Default: today in the billing time zone." };
        var file = new Option<string?>("--file") { Description = "The mapping file to use. Default: Connector__Mapping__Path, or the shipped profile." };
        var command = new Command("explain", "Show how one order maps and what a run would bill, field by field, without writing anything.") { order, fromFile, date, file };
        command.SetAction((result, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            var overrides = result.GetValue(file) is { } path ? new Dictionary<string, string?> { ["Connector:Mapping:Path"] = path } : null;
            var orderId = result.GetValue(order);
            var jsonFile = result.GetValue(fromFile);
            if ((orderId is null) == (jsonFile is null))
            {
                await error.WriteLineAsync("Give exactly one of --order ID or --from-file PATH.");
                return ExitCodes.BadInput;
            }

            DateOnly? runDate = null;
            if (result.GetValue(date) is { } text)
            {
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed))
                {
                    await error.WriteLineAsync($"--date = '{text}' is not allowed: use yyyy-MM-dd.");
                    return ExitCodes.BadInput;
                }

                runDate = parsed;
            }

            using var host = ConnectorHost.Build(overrides);
            if (orderId is not null)
            {
                await ConnectorHost.PrepareAsync(host, migrate: false, cancellationToken);
            }

            var profile = host.Services.GetRequiredService<MappingProfile>();
            var (orderRecord, items, usage) = jsonFile is not null
                ? await ReadFileAsync(jsonFile, cancellationToken)
                : await FetchAsync(host.Services, profile, orderId!, cancellationToken);
            if (orderRecord is null)
            {
                await error.WriteLineAsync(orderId is null ? $"{jsonFile}: no \"order\" object." : $"Order {orderId} was not found (or is not visible to the integration user).");
                return ExitCodes.BadInput;
            }

            var billing = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Connector.Invoicing.Runs.BillingOptions>>().Value;
            var day = runDate ?? host.Services.GetRequiredService<Connector.Invoicing.Runs.BillingClock>().Today();
            foreach (var line in new Connector.Mapping.Transform.OrderExplainer(profile).Explain(orderRecord, items, day, billing, usage))
            {
                await output.WriteLineAsync(line);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<(System.Text.Json.Nodes.JsonObject? Order, IReadOnlyList<System.Text.Json.Nodes.JsonObject> Items, Connector.Mapping.Transform.UsageRecords Usage)> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        System.Text.Json.Nodes.JsonNode? json;
        try
        {
            json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken));
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException)
        {
            throw new ConfigurationException([$"--from-file = '{path}' cannot be read as JSON: {ex.Message}"]);
        }

        return (json?["order"] as System.Text.Json.Nodes.JsonObject, Records("orderItems"),
            new Connector.Mapping.Transform.UsageRecords(Records("consumptionSchedules"), Records("consumptionRates"), Records("usage")));

        IReadOnlyList<System.Text.Json.Nodes.JsonObject> Records(string name) =>
            json?[name] is System.Text.Json.Nodes.JsonArray array ? [.. array.OfType<System.Text.Json.Nodes.JsonObject>()] : [];
    }

    private static async Task<(System.Text.Json.Nodes.JsonObject? Order, IReadOnlyList<System.Text.Json.Nodes.JsonObject> Items, Connector.Mapping.Transform.UsageRecords Usage)> FetchAsync(
        IServiceProvider services, MappingProfile profile, string orderId, CancellationToken cancellationToken)
    {
        var salesforce = services.GetRequiredService<Connector.Salesforce.SalesforceClient>();
        var mapper = services.GetRequiredService<Connector.Mapping.Transform.RecordMapper>();
        var id = Connector.Salesforce.Api.Soql.Id(orderId);
        var orderQuery = mapper.QueryFor(Catalog.Order);
        var itemQuery = mapper.QueryFor(Catalog.OrderItem);
        var orders = await salesforce.QueryAsync($"SELECT {string.Join(", ", orderQuery.Fields)} FROM {orderQuery.ObjectName} WHERE Id = {id}", cancellationToken);
        var items = await salesforce.QueryAsync($"SELECT {string.Join(", ", itemQuery.Fields)} FROM {itemQuery.ObjectName} WHERE OrderId = {id} ORDER BY Id", cancellationToken);
        var itemIds = items.Select(i => i["Id"]?.GetValue<string>()).OfType<string>().ToList();
        var schedules = await ChildrenAsync(Catalog.ConsumptionSchedule, "orderItemId", itemIds);
        var rates = await ChildrenAsync(Catalog.ConsumptionRate, "scheduleId", [.. schedules.Select(s => s["Id"]?.GetValue<string>()).OfType<string>()]);
        var usage = await ChildrenAsync(Catalog.Usage, "orderItemId", itemIds);
        return (orders.Count == 0 ? null : orders[0], items, new Connector.Mapping.Transform.UsageRecords(schedules, rates, usage));

        // The records of a usage source whose lookup (the input's field) points at one of the ids; none when the profile does not read it.
        async Task<IReadOnlyList<System.Text.Json.Nodes.JsonObject>> ChildrenAsync(string source, string input, IReadOnlyList<string> ids)
        {
            if (ids.Count == 0 || !profile.Sources.TryGetValue(source, out var mapping) || mapping.Fields[input].Paths is not [var lookup])
            {
                return [];
            }

            var query = mapper.QueryFor(source);
            return await salesforce.QueryAsync(
                $"SELECT {string.Join(", ", query.Fields)} FROM {query.ObjectName} WHERE {lookup} IN ({string.Join(", ", ids.Select(Connector.Salesforce.Api.Soql.Id))}) ORDER BY Id", cancellationToken);
        }
    }

    private static Command Validate(TextWriter output, TextWriter error)
    {
        var file = new Option<string?>("--file") { Description = "The mapping file to check. Default: Connector__Mapping__Path, or the shipped profile." };
        var againstOrg = new Option<bool>("--against-org") { Description = "Also check it against the org's metadata (describe): fields exist and are visible, types fit, picklist values exist, write-back fields are writable." };
        var command = new Command("validate", "Validate the mapping file; exit 2 with every problem (file:line:column) when it is not valid.") { file, againstOrg };
        command.SetAction((result, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            var overrides = result.GetValue(file) is { } path ? new Dictionary<string, string?> { ["Connector:Mapping:Path"] = path } : null;
            MappingProfile profile;
            try
            {
                profile = MappingProfileLoader.Load(result.GetValue(file) ?? ConnectorHost.Configuration(overrides)["Connector:Mapping:Path"]);
            }
            catch (MappingProfileException ex)
            {
                await error.WriteLineAsync(ex.Message);
                return ExitCodes.BadInput;
            }

            if (!result.GetValue(againstOrg))
            {
                await output.WriteLineAsync($"Mapping {profile.Origin} is valid ({profile.Sources.Values.Sum(s => s.Fields.Count)} inputs, {profile.WriteBack.Values.Sum(t => t.Fields.Count)} write-back fields). Use --against-org to check it against the org.");
                return ExitCodes.Success;
            }

            using var host = ConnectorHost.Build(overrides, services => services.AddSingleton<IOrgSchema, SalesforceOrgSchema>());
            await ConnectorHost.PrepareAsync(host, migrate: false, cancellationToken);
            var problems = await OrgValidator.ValidateAsync(profile, host.Services.GetRequiredService<IOrgSchema>(), cancellationToken);
            await host.StopAsync(cancellationToken);
            if (problems.Count > 0)
            {
                await error.WriteLineAsync($"Mapping {profile.Origin} does not fit the org:");
                foreach (var problem in problems)
                {
                    await error.WriteLineAsync("  - " + problem);
                }

                return ExitCodes.BadInput;
            }

            await output.WriteLineAsync($"Mapping {profile.Origin} is valid against the org.");
            return ExitCodes.Success;
        }));
        return command;
    }
}
