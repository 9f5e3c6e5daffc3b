using System.Diagnostics;
using System.Text;

namespace Connector.EndToEnd.Tests;

/// <summary>The <c>connector</c> executable as an operating-system process, configured by environment variables as a pod would be.</summary>
internal sealed class ConnectorProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ConnectorProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Both streams, headed by the process's name, for assertion messages.</summary>
    public string Output
    {
        get
        {
            lock (_stdout)
            {
                return $"--- {Name} (pid {Id}) ---{Environment.NewLine}{_stdout}{_stderr}";
            }
        }
    }

    public static ConnectorProcess Start(string name, string workingDirectory, IEnumerable<KeyValuePair<string, string?>> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "connector.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var connector = new ConnectorProcess(new Process { StartInfo = start }, name);
        connector._process.OutputDataReceived += (_, e) => connector.Append(connector._stdout, e.Data);
        connector._process.ErrorDataReceived += (_, e) => connector.Append(connector._stderr, e.Data);
        connector._process.Start();
        connector._process.BeginOutputReadLine();
        connector._process.BeginErrorReadLine();
        return connector;
    }

    /// <summary>Waits until the process has printed (on either stream) a line matching <paramref name="line"/>; false when it exits first.</summary>
    public async Task<bool> PrintedAsync(Func<string, bool> line, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (Output.Split('\n').Any(l => line(l.TrimEnd('\r'))))
            {
                return true;
            }

            if (HasExited)
            {
                return false;
            }

            await Task.Delay(50, cancellationToken);
        }

        return false;
    }

    public async Task<int> ExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        _process.WaitForExit(); // drains the redirected streams
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, whatever was in flight is cut.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(StringBuilder stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stdout)
        {
            stream.AppendLine(line);
        }
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
