using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Connector.Worker.Tests.Deploy;

/// <summary>
/// The helm chart, linted and rendered by the real helm (installed by .ci/tools/install-helm), with assertions on the
/// rendered objects for both modes, with the default values and with a full values file.
/// </summary>
[TestFixture]
public sealed class HelmChartTests
{
    private static readonly string Root = Repository.Root;
    private static readonly string Chart = System.IO.Path.Combine(Root, "deploy", "helm", "connector");
    private static readonly string FullValues = System.IO.Path.Combine(AppContext.BaseDirectory, "Deploy", "full-values.yaml");

    [TestCase]
    [TestCase("--set", "mode=cronjob")]
    [TestCase("-f", "FULL")]
    [TestCase("-f", "FULL", "--set", "mode=cronjob")]
    public void Lint_Strict_Passes(params string[] values)
    {
        var (exit, output) = Helm(["lint", "--strict", Chart, .. Values(values)]);

        Assert.That(exit, Is.Zero, output);
    }

    [Test]
    public void Template_DefaultDeployment_RunsAsNonRootOnAReadOnlyRootWithProbesAndTheKeyMounted()
    {
        // Act
        var objects = Render();

        // Assert
        var deployment = Single(objects, "Deployment");
        var pod = Path(deployment, "spec", "template", "spec");
        var container = (YamlMappingNode)((YamlSequenceNode)pod["containers"])[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(objects.Select(Kind), Is.EquivalentTo(new[] { "PersistentVolumeClaim", "Service", "Deployment" }));
            Assert.That(Sequence(container, "args"), Is.EqualTo(new[] { "run" }));
            Assert.That(Scalar(container, "livenessProbe", "httpGet", "path"), Is.EqualTo("/healthz"));
            Assert.That(Scalar(container, "readinessProbe", "httpGet", "path"), Is.EqualTo("/readyz"));
            Assert.That(Scalar(pod, "securityContext", "runAsNonRoot"), Is.EqualTo("true"));
            Assert.That(Scalar(container, "securityContext", "readOnlyRootFilesystem"), Is.EqualTo("true"));
            Assert.That(Scalar(container, "securityContext", "allowPrivilegeEscalation"), Is.EqualTo("false"));
            Assert.That(Env(container).Keys, Is.SupersetOf(new[]
            {
                "Connector__Salesforce__LoginUrl", "Connector__Salesforce__AuthFlow", "Connector__Salesforce__ClientId", "Connector__Salesforce__Username",
                "Connector__Salesforce__PrivateKeyPath", "Connector__Salesforce__ApiVersion", "Connector__Storage__Provider",
                "Connector__Storage__ConnectionString", "Connector__Billing__TimeZone",
            }));
            Assert.That(Env(container)["Connector__Storage__ConnectionString"], Is.EqualTo("Data Source=/data/connector.db"));
            Assert.That(Env(container)["Connector__Salesforce__PrivateKeyPath"], Is.EqualTo("/var/run/secrets/connector/private-key.pem"));
            Assert.That(Mounts(container), Is.EquivalentTo(new Dictionary<string, string>
            {
                ["tmp"] = "/tmp", ["data"] = "/data", ["salesforce-key"] = "/var/run/secrets/connector",
            }));
            Assert.That(Scalar(deployment, "spec", "strategy", "type"), Is.EqualTo("Recreate"), "one process on the SQLite file");
        }
    }

    [Test]
    public void Template_DefaultCronJob_RunsSyncOnceOnTheScheduleWithoutOverlap()
    {
        var objects = Render("--set", "mode=cronjob");

        var cronJob = Single(objects, "CronJob");
        var container = (YamlMappingNode)((YamlSequenceNode)Path(cronJob, "spec", "jobTemplate", "spec", "template", "spec")["containers"])[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(objects.Select(Kind), Is.EquivalentTo(new[] { "PersistentVolumeClaim", "CronJob" }));
            Assert.That(Scalar(cronJob, "spec", "schedule"), Is.EqualTo("*/15 * * * *"));
            Assert.That(Scalar(cronJob, "spec", "concurrencyPolicy"), Is.EqualTo("Forbid"));
            Assert.That(Sequence(container, "args"), Is.EqualTo(new[] { "sync", "--once" }));
            Assert.That(container.Children.ContainsKey(new YamlScalarNode("livenessProbe")), Is.False);
            Assert.That(Scalar(container, "securityContext", "readOnlyRootFilesystem"), Is.EqualTo("true"));
        }
    }

    [Test]
    public void Template_FullValues_UsesExistingSecretsMappingConfigMapMonitorAndBudget()
    {
        var objects = Render("-f", "FULL");

        var deployment = Single(objects, "Deployment");
        var container = (YamlMappingNode)((YamlSequenceNode)Path(deployment, "spec", "template", "spec")["containers"])[0];
        var env = (YamlSequenceNode)container["env"];
        var connection = env.Children.Cast<YamlMappingNode>().Single(e => e["name"].ToString() == "Connector__Storage__ConnectionString");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(objects.Select(Kind), Is.EquivalentTo(new[] { "ConfigMap", "ConfigMap", "Service", "Deployment", "ServiceMonitor", "PodDisruptionBudget" }));
            Assert.That(Scalar(deployment, "spec", "replicas"), Is.EqualTo("3"));
            Assert.That(Scalar(connection, "valueFrom", "secretKeyRef", "name"), Is.EqualTo("connector-db"));
            Assert.That(Env(container)["Connector__Mapping__Path"], Is.EqualTo("/etc/connector/mapping.yaml"));
            Assert.That(Scalar(container, "envFrom", "0", "configMapRef", "name"), Is.EqualTo("t-connector-settings"));
            Assert.That(Scalar(objects.Single(o => Kind(o) == "ConfigMap" && Scalar(o, "metadata", "name") == "t-connector-settings"), "data", "Connector__Sync__WriteBackBatchSize"), Is.EqualTo("5000"));
            Assert.That(Env(container)["Connector__Billing__TimeZone"], Is.EqualTo("Europe/Madrid"));
            Assert.That(Mounts(container).Keys, Is.EquivalentTo(new[] { "tmp", "salesforce-key", "mapping" }), "no SQLite volume with SQL Server");
            Assert.That(Scalar(objects.Single(o => Kind(o) == "ConfigMap" && Scalar(o, "metadata", "name") == "t-connector-mapping"), "data", "mapping.yaml"), Does.Contain("name: acme"));
            Assert.That(Scalar(Single(objects, "ServiceMonitor"), "spec", "endpoints", "0", "path"), Is.EqualTo("/metrics"));
            Assert.That(Container(deployment).Image, Is.EqualTo("registry.example.com/connector:1.2.3"));
        }
    }

    [TestCase("Postgres")]
    [TestCase("SqlServer")]
    public void Template_ServerDatabase_TwoReplicasReadTheProviderAndTheConnectionStringFromTheSecretWithoutAVolume(string provider)
    {
        var objects = Render("--set", $"storage.provider={provider}", "--set", "storage.existingSecret=connector-db", "--set", "replicaCount=2");

        var deployment = Single(objects, "Deployment");
        var container = (YamlMappingNode)((YamlSequenceNode)Path(deployment, "spec", "template", "spec")["containers"])[0];
        var env = (YamlSequenceNode)container["env"];
        var connection = env.Children.Cast<YamlMappingNode>().Single(e => e["name"].ToString() == "Connector__Storage__ConnectionString");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Scalar(deployment, "spec", "replicas"), Is.EqualTo("2"));
            Assert.That(Env(container)["Connector__Storage__Provider"], Is.EqualTo(provider));
            Assert.That(Scalar(connection, "valueFrom", "secretKeyRef", "name"), Is.EqualTo("connector-db"));
            Assert.That(Scalar(connection, "valueFrom", "secretKeyRef", "key"), Is.EqualTo("connection-string"));
            Assert.That(objects.Select(Kind), Has.None.EqualTo("PersistentVolumeClaim"));
            Assert.That(Mounts(container).Keys, Has.None.EqualTo("data"));
        }
    }

    [TestCase("--set", "mode=daemon", "mode")]
    [TestCase("--set", "storage.provider=Oracle", "provider")]
    [TestCase("--set", "replicaCount=2", "replicaCount > 1 needs a server database (storage.provider: Postgres or SqlServer)")]
    [TestCase("--set", "storage.provider=Postgres", "storage.provider Postgres needs storage.existingSecret")]
    [TestCase("--set", "storage.provider=SqlServer", "storage.provider SqlServer needs storage.existingSecret")]
    [TestCase("--set", "salesforce.privateKey.existingSecret=", "salesforce.privateKey.existingSecret is required")]
    [TestCase("--set", "salesforce.loginUrl=http://login.salesforce.com", "loginUrl")]
    public void Template_BadValues_FailWithAMessageNamingTheValue(string flag, string value, string expected)
    {
        var (exit, output) = Helm(["template", "t", Chart, flag, value]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Not.Zero);
            Assert.That(output, Does.Contain(expected));
        }
    }

    private static (string Image, string Name) Container(YamlMappingNode deployment)
    {
        var container = (YamlMappingNode)((YamlSequenceNode)Path(deployment, "spec", "template", "spec")["containers"])[0];
        return (container["image"].ToString(), container["name"].ToString());
    }

    private static List<YamlMappingNode> Render(params string[] values)
    {
        var (exit, output) = Helm(["template", "t", Chart, .. Values(values)]);
        Assert.That(exit, Is.Zero, output);
        var stream = new YamlStream();
        stream.Load(new StringReader(output));
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    private static IEnumerable<string> Values(string[] values) => values.Select(v => v == "FULL" ? FullValues : v);

    private static string Kind(YamlMappingNode node) => node["kind"].ToString();

    private static YamlMappingNode Single(List<YamlMappingNode> objects, string kind) => objects.Single(o => Kind(o) == kind);

    private static YamlMappingNode Path(YamlMappingNode node, params string[] keys) =>
        keys.Aggregate(node, (current, key) => (YamlMappingNode)current[key]);

    private static string Scalar(YamlMappingNode node, params string[] keys)
    {
        YamlNode current = node;
        foreach (var key in keys)
        {
            current = current is YamlSequenceNode list ? list[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] : ((YamlMappingNode)current)[key];
        }

        return current.ToString();
    }

    private static string[] Sequence(YamlMappingNode node, string key) => [.. ((YamlSequenceNode)node[key]).Children.Select(c => c.ToString())];

    private static Dictionary<string, string> Env(YamlMappingNode container) =>
        ((YamlSequenceNode)container["env"]).Children.Cast<YamlMappingNode>()
            .ToDictionary(e => e["name"].ToString(), e => e.Children.TryGetValue(new YamlScalarNode("value"), out var v) ? v.ToString() : "(from secret)");

    private static Dictionary<string, string> Mounts(YamlMappingNode container) =>
        ((YamlSequenceNode)container["volumeMounts"]).Children.Cast<YamlMappingNode>().ToDictionary(m => m["name"].ToString(), m => m["mountPath"].ToString());

    private static (int Exit, string Output) Helm(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(HelmPath()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }

    private static string HelmPath()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("CONNECTOR_HELM"), System.IO.Path.Combine(Root, ".tools", "helm") };
        var found = candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c));
        if (found is not null)
        {
            return found;
        }

        if (Environment.GetEnvironmentVariable("CONNECTOR_REQUIRE_HELM") == "1")
        {
            Assert.Fail("helm is required here but missing: run .ci/tools/install-helm.");
        }

        Assert.Ignore("helm is not installed: run .ci/tools/install-helm to test the chart.");
        return "";
    }
}
