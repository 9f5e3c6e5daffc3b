using System.Globalization;
using Connector.Worker.Cli;

// What the connector prints and stores never depends on the host's LANG: ICU is loaded (SQL Server needs it), the culture is invariant.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

return await ConnectorCli.RunAsync(args, Console.Out, Console.Error);
