using Connector.Worker.Cli;

return await ConnectorCli.Build(Console.Out, Console.Error).Parse(args).InvokeAsync();
