using Connector.Salesforce.Auth;
using Connector.Worker.Hosting;

namespace Connector.Worker.Cli;

/// <summary>Runs a verb and turns what went wrong into an exit code and a message for a person, never a stack trace.</summary>
internal static class CommandGuard
{
    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> verb)
    {
        try
        {
            return await verb();
        }
        catch (ConfigurationException ex)
        {
            foreach (var problem in ex.Problems)
            {
                await error.WriteLineAsync(problem);
            }

            return ExitCodes.BadInput;
        }
        catch (Connector.Mapping.Profile.MappingProfileException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return ExitCodes.BadInput;
        }
        catch (Connector.Storage.DatabaseUnavailableException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return ExitCodes.Failure;
        }
        catch (SalesforceAuthException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("Cancelled.");
            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // The verb boundary is the one place that reports every failure as an exit code.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"Failed: {ex.GetType().Name}: {ex.Message}");
            return ExitCodes.Failure;
        }
    }
}
