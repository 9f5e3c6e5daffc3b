using System.Globalization;
using System.Runtime.CompilerServices;

namespace Connector.Tests.Shared;

/// <summary>Every test assembly runs in the invariant culture, as the connector does (Program.cs), whatever LANG says.</summary>
internal static class InvariantCulture
{
#pragma warning disable CA2255 // a test assembly's one start-up hook
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Use()
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
    }
}
