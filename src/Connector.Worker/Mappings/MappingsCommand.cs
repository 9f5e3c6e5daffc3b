using System.CommandLine;
using Connector.Mapping.Profile;
using Connector.Mapping.Validation;
using Connector.Worker.Cli;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Connector.Worker.Mappings;

/// <summary><c>connector mappings validate|explain</c>: what an admin runs before deploying a mapping.</summary>
internal static class MappingsCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var command = new Command("mappings", "Check and preview the admin's mapping file.");
        command.Subcommands.Add(Validate(output, error));
        return command;
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
            await ConnectorHost.PrepareAsync(host, cancellationToken, migrate: false);
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
