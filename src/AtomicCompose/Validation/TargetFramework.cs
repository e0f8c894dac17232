using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;

namespace AtomicCompose.Validation;

/// <summary>
/// The target framework a build compiles a project for (<c>net8.0-windows10.0.19041.0</c>, <c>netstandard2.0</c>,
/// <c>net472</c>), read as the .NET SDK reads the moniker. The one place that parses it: the compiler's options,
/// the SDK's analyzers and the build properties all follow from it.
/// </summary>
/// <param name="Moniker">The moniker as the project wrote it, trimmed.</param>
/// <param name="Identifier">The SDK's <c>TargetFrameworkIdentifier</c>: <see cref="NetCoreApp"/>, <see cref="NetStandard"/> or <see cref="NetFramework"/>.</param>
/// <param name="Version">The framework version (<c>8.0</c>, <c>4.7.2</c>).</param>
/// <param name="Platform">The platform of a platform-specific framework (<c>windows</c>), or null.</param>
/// <param name="PlatformVersion">The platform version the moniker names (<c>10.0.19041.0</c>), or null.</param>
internal sealed partial record TargetFramework(string Moniker, string Identifier, Version Version, string? Platform, string? PlatformVersion)
{
    public const string NetCoreApp = ".NETCoreApp";
    public const string NetStandard = ".NETStandard";
    public const string NetFramework = ".NETFramework";

    // The versions the SDK makes *_OR_GREATER symbols of (Microsoft.NET.SupportedTargetFrameworks.props and the
    // Windows SDK versions of Microsoft.NETCoreSdk.BundledVersions.props, SDK 10.0.401).
    private static readonly Version[] NetCoreAppVersionsBefore5 = [new(1, 0), new(1, 1), new(2, 0), new(2, 1), new(2, 2), new(3, 0), new(3, 1)];
    private static readonly Version[] NetStandardVersions = [new(1, 0), new(1, 1), new(1, 2), new(1, 3), new(1, 4), new(1, 5), new(1, 6), new(2, 0), new(2, 1)];
    private static readonly Version[] NetFrameworkVersions =
        [new(2, 0), new(3, 0), new(3, 5), new(4, 0), new(4, 5), new(4, 5, 1), new(4, 5, 2), new(4, 6), new(4, 6, 1), new(4, 6, 2), new(4, 7), new(4, 7, 1), new(4, 7, 2), new(4, 8), new(4, 8, 1)];
    private static readonly Version[] WindowsVersions =
        [new(7, 0), new(8, 0), new(10, 0, 17763, 0), new(10, 0, 18362, 0), new(10, 0, 19041, 0), new(10, 0, 20348, 0), new(10, 0, 22000, 0), new(10, 0, 22621, 0), new(10, 0, 26100, 0)];

    /// <summary>.NET 5 or later (<c>net5.0</c> and up, with or without a platform): the frameworks the SDK's analyzers and warning waves follow.</summary>
    public bool IsNet5OrLater => Identifier == NetCoreApp && Version.Major >= 5;

    /// <summary>The framework a build of the project compiles for first (see <see cref="MonikerOf"/>), or null when the SDK does not know it.</summary>
    public static TargetFramework? Of(IReadOnlyDictionary<string, string> properties) => Parse(MonikerOf(properties));

    /// <summary>
    /// The moniker a build of the project compiles for first: <c>TargetFramework</c> when it is set and not empty,
    /// else the first of <c>TargetFrameworks</c>.
    /// </summary>
    public static string? MonikerOf(IReadOnlyDictionary<string, string> properties) => MonikersOf(properties).FirstOrDefault();

    /// <summary>
    /// Every moniker a build of the project compiles for, in the project's order: <c>TargetFramework</c> when it is set and
    /// not empty, else each of <c>TargetFrameworks</c> once (the SDK runs one inner build per distinct moniker).
    /// </summary>
    public static IReadOnlyList<string> MonikersOf(IReadOnlyDictionary<string, string> properties) =>
        properties.GetValueOrDefault("TargetFramework") is { } single && !string.IsNullOrWhiteSpace(single)
            ? [single.Trim()]
            : [.. (properties.GetValueOrDefault("TargetFrameworks") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>
    /// Which of a referenced project's frameworks a project built for this one compiles against, as NuGet's nearest-framework
    /// rule picks it for a <c>ProjectReference</c>: the same moniker, else the same framework at the highest version not
    /// above this one (a platform-specific one only for the same platform at a platform version not above this one's),
    /// else the highest .NET Standard this framework implements, else the first. Gives the index in <paramref name="candidates"/>.
    /// </summary>
    public int NearestOf(IReadOnlyList<string> candidates)
    {
        var parsed = candidates.Select(Parse).ToList();
        var exact = parsed.FindIndex(c => c is not null && string.Equals(c.Moniker, Moniker, StringComparison.OrdinalIgnoreCase));
        if (exact >= 0)
        {
            return exact;
        }

        int Best(Func<TargetFramework, bool> compatible)
        {
            var best = -1;
            for (var i = 0; i < parsed.Count; i++)
            {
                // Of two at one version, the platform-specific one is nearer (net8.0-windows over net8.0 for net8.0-windows10.0.19041).
                if (parsed[i] is { } c && compatible(c)
                    && (best < 0 || c.Version > parsed[best]!.Version || (c.Version == parsed[best]!.Version && c.Platform is not null && parsed[best]!.Platform is null)))
                {
                    best = i;
                }
            }

            return best;
        }

        var same = Best(c => c.Identifier == Identifier && c.Version <= Version && (c.Platform is null || IsPlatformCompatible(c)));
        if (same >= 0)
        {
            return same;
        }

        // The highest .NET Standard each framework implements (NuGet's compatibility table).
        var standard = Identifier switch
        {
            NetCoreApp when Version >= new Version(3, 0) => new Version(2, 1),
            NetCoreApp when Version >= new Version(2, 0) => new Version(2, 0),
            NetCoreApp => new Version(1, 6),
            NetFramework when Version >= new Version(4, 6, 1) => new Version(2, 0),
            NetFramework when Version >= new Version(4, 6) => new Version(1, 3),
            NetFramework when Version >= new Version(4, 5, 2) => new Version(1, 2),
            NetFramework when Version >= new Version(4, 5) => new Version(1, 1),
            _ => null,
        };
        var compatibleStandard = standard is null ? -1 : Best(c => c.Identifier == NetStandard && c.Version <= standard);
        return compatibleStandard >= 0 ? compatibleStandard : 0;
    }

    /// <summary>Reads a moniker (<c>net8.0-windows</c>, <c>netcoreapp3.1</c>, <c>net472</c>); null for one the SDK does not know.</summary>
    public static TargetFramework? Parse(string? moniker)
    {
        if (moniker is null || Grammar().Match(moniker.Trim()) is not { Success: true } m)
        {
            return null;
        }

        var name = m.Groups["name"].Value.ToLowerInvariant();
        var digits = m.Groups["version"].Value;
        var platform = m.Groups["platform"].Success ? m.Groups["platform"].Value.ToLowerInvariant() : null;
        var platformVersion = m.Groups["platformVersion"] is { Success: true, Length: > 0 } pv ? pv.Value : null;
        var (identifier, version) = name switch
        {
            "netstandard" => (NetStandard, digits),
            "netcoreapp" => (NetCoreApp, digits),
            _ when digits.Contains('.', StringComparison.Ordinal) => (NetCoreApp, digits),
            _ => (NetFramework, string.Join('.', digits.ToCharArray())), // net472 -> 4.7.2
        };

        // A version no SDK knows (net2147483647.0) is an error to the SDK; here it is not a framework.
        if (!Version.TryParse(Padded(version), out var parsed) || parsed.Major > 99)
        {
            return null;
        }

        if (platform is not null && (identifier != NetCoreApp || parsed.Major < 5))
        {
            return null; // only .NET 5 and later have platform-specific frameworks
        }

        return new TargetFramework(moniker.Trim(), identifier, parsed, platform, platformVersion);
    }

    /// <summary>The SDK's <c>TargetFrameworkVersion</c>: <c>v8.0</c>, <c>v4.7.2</c>.</summary>
    public string VersionText => "v" + Version.ToString(Version.Build >= 0 ? 3 : 2);

    // A platform-specific candidate for the same platform, at a platform version no higher than this one's (net8.0-windows
    // is Windows 7.0, which a net8.0-windows10.0.19041.0 build does not run on).
    private bool IsPlatformCompatible(TargetFramework candidate) =>
        string.Equals(candidate.Platform, Platform, StringComparison.OrdinalIgnoreCase)
        && (!Version.TryParse(candidate.EffectivePlatformVersion, out var needed) || !Version.TryParse(EffectivePlatformVersion, out var offered) || needed <= offered);

    /// <summary>
    /// The <c>TargetFramework</c> assembly attribute every build of a C# project adds (MSBuild's
    /// <c>GenerateTargetFrameworkMonikerAttribute</c> target, with the SDK's display names): one more in the sources is CS0579.
    /// </summary>
    public string MonikerAttribute()
    {
        var version = VersionText[1..];
        var display = Identifier switch
        {
            NetCoreApp when IsNet5OrLater => ".NET " + version,
            NetCoreApp => ".NET Core " + version,
            NetStandard => ".NET Standard " + version,
            NetFramework => ".NET Framework " + version,
            _ => Moniker,
        };
        return $"global::System.Runtime.Versioning.TargetFrameworkAttribute(\"{Identifier},Version={VersionText}\", FrameworkDisplayName = \"{display}\")";
    }

    /// <summary>
    /// The platform version a build targets (the SDK's <c>EffectiveTargetPlatformVersion</c>): the moniker's, else the
    /// SDK's default for Windows (7.0); null for other platforms without one, whose default comes from a workload.
    /// </summary>
    public string? EffectivePlatformVersion => Platform switch
    {
        // The SDK reads a Windows version in four parts from 10 on (10.0.19041 -> 10.0.19041.0), else in two (7 -> 7.0).
        "windows" when Version.TryParse(Padded(PlatformVersion ?? "7.0"), out var windows) => windows.Major >= 10
            ? new Version(windows.Major, windows.Minor, Math.Max(windows.Build, 0), Math.Max(windows.Revision, 0)).ToString()
            : windows.ToString(2),
        "browser" => Padded(PlatformVersion ?? "1.0"), // the SDK's own default; the other platforms' come from workloads
        _ => PlatformVersion is null ? null : Padded(PlatformVersion),
    };

    private static string Padded(string version) => version.Contains('.', StringComparison.Ordinal) ? version : version + ".0";

    /// <summary>The SDK's <c>TargetPlatformIdentifier</c>, the platform as the SDK spells it (<c>Windows</c>, <c>iOS</c>), or null.</summary>
    public string? PlatformIdentifier => Platform switch
    {
        null => null,
        "windows" => "Windows",
        "android" => "Android",
        "ios" => "iOS",
        "maccatalyst" => "MacCatalyst",
        "macos" => "macOS",
        "tvos" => "tvOS",
        var other => other,
    };

    /// <summary>
    /// The platform attributes the SDK generates into the assembly info of a platform-specific framework
    /// (<c>[assembly: SupportedOSPlatform("Windows7.0")]</c>): CA1416 takes the assembly's platform from them.
    /// </summary>
    /// <param name="supportedVersion">The project's <c>SupportedOSPlatformVersion</c>, when it sets one.</param>
    public IEnumerable<string> PlatformAttributes(string? supportedVersion)
    {
        if (PlatformIdentifier is not { } platform || !IsNet5OrLater)
        {
            yield break;
        }

        if (EffectivePlatformVersion is { } target)
        {
            yield return $"global::System.Runtime.Versioning.TargetPlatformAttribute(\"{platform}{target}\")";
        }

        // Without a version (a workload's platform whose default is not known here) the attribute names the platform alone, as the SDK's does for 0.0.
        var supported = string.IsNullOrWhiteSpace(supportedVersion) ? EffectivePlatformVersion : supportedVersion.Trim();
        yield return $"global::System.Runtime.Versioning.SupportedOSPlatformAttribute(\"{platform}{(supported is null or "0.0" ? "" : supported)}\")";
    }

    /// <summary>
    /// The preprocessor symbols the SDK defines for this framework (its <c>GenerateTargetFrameworkDefineConstants</c>,
    /// <c>GenerateTargetPlatformDefineConstants</c> and the two <c>*CompatibleDefineConstants</c> targets).
    /// </summary>
    public IEnumerable<string> ImplicitDefineConstants()
    {
        var symbols = new List<string>();
        switch (Identifier)
        {
            case NetCoreApp when IsNet5OrLater:
                symbols.AddRange(["NET", $"NET{Version.Major}_{Version.Minor}", "NETCOREAPP"]);
                if (Platform is { } platform)
                {
                    symbols.Add(platform.ToUpperInvariant());
                    if (EffectivePlatformVersion is { } pv)
                    {
                        symbols.Add(platform.ToUpperInvariant() + pv.Replace('.', '_'));
                    }
                }

                for (var major = 5; major <= Version.Major; major++)
                {
                    symbols.Add($"NET{major}_0_OR_GREATER");
                }

                symbols.AddRange(NetCoreAppVersionsBefore5.Select(v => $"NETCOREAPP{v.Major}_{v.Minor}_OR_GREATER"));
                if (Platform == "windows" && Version.TryParse(EffectivePlatformVersion, out var windows))
                {
                    symbols.AddRange(WindowsVersions.Where(v => v <= windows).Select(v => "WINDOWS" + Underscored(v) + "_OR_GREATER"));
                }
                else if (Platform is { } other && EffectivePlatformVersion is { } version)
                {
                    // The earlier versions a workload supports are its own knowledge; the targeted one is among them.
                    symbols.Add(other.ToUpperInvariant() + version.Replace('.', '_') + "_OR_GREATER");
                }

                break;
            case NetCoreApp:
                symbols.AddRange(["NETCOREAPP", $"NETCOREAPP{Version.Major}_{Version.Minor}"]);
                symbols.AddRange(NetCoreAppVersionsBefore5.Where(v => v <= Version).Select(v => $"NETCOREAPP{v.Major}_{v.Minor}_OR_GREATER"));
                break;
            case NetStandard:
                symbols.AddRange(["NETSTANDARD", $"NETSTANDARD{Version.Major}_{Version.Minor}"]);
                symbols.AddRange(NetStandardVersions.Where(v => v <= Version).Select(v => $"NETSTANDARD{v.Major}_{v.Minor}_OR_GREATER"));
                break;
            default:
                symbols.AddRange(["NETFRAMEWORK", "NET" + Joined(Version)]);
                symbols.AddRange(NetFrameworkVersions.Where(v => v <= Version).Select(v => "NET" + Joined(v) + "_OR_GREATER"));
                break;
        }

        return symbols;

        static string Joined(Version v) => v.ToString(v.Build >= 0 ? 3 : 2).Replace(".", "", StringComparison.Ordinal);
        static string Underscored(Version v) => v.ToString().Replace('.', '_');
    }

    /// <summary>
    /// The language version a build uses when the project sets none: the newest the framework supports (7.3 for .NET
    /// Framework and .NET Standard 2.0, 8.0 for .NET Core 3 and .NET Standard 2.1, C# 9 for .NET 5 and one more per
    /// release), capped at what the compiler knows.
    /// </summary>
    public LanguageVersion DefaultLanguageVersion => Identifier switch
    {
        NetCoreApp when Version.Major >= 5 => LanguageVersionFacts.TryParse((9 + Version.Major - 5).ToString(CultureInfo.InvariantCulture), out var v) ? v : LanguageVersion.Latest,
        NetCoreApp when Version.Major >= 3 => LanguageVersion.CSharp8,
        NetStandard when Version >= new Version(2, 1) => LanguageVersion.CSharp8,
        _ => LanguageVersion.CSharp7_3,
    };

    /// <summary>The SDK's default <c>WarningLevel</c>: the major version for .NET (Core), else 4.</summary>
    public int DefaultWarningLevel => Identifier == NetCoreApp ? Version.Major : 4;

    [GeneratedRegex(@"^(?<name>netstandard|netcoreapp|net)(?<version>\d+(\.\d+)?)(-(?<platform>[A-Za-z]+)(?<platformVersion>[\d.]*))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
