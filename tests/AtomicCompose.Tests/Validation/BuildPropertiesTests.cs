using AtomicCompose.Validation.Analyzers;
using Microsoft.CodeAnalysis;

namespace AtomicCompose.Tests.Validation;

/// <summary>The build_property options analyzers get, as the SDK writes them for a build.</summary>
public sealed class BuildPropertiesTests
{
    private static readonly string Project = Path.Combine(Path.GetTempPath(), "ws", "src", "My Lib.csproj");

    private static IReadOnlyDictionary<string, string> Options(Dictionary<string, string> properties, IEnumerable<string>? visible = null, string[]? added = null, string[]? removed = null, bool usesWebSdk = false) =>
        AnalyzerConfigSet.Create(new[] { BuildProperties.For(Project, properties, visible ?? [], (added ?? [], removed ?? []), usesWebSdk) }).GlobalConfigOptions.AnalyzerOptions;

    [Fact]
    public void A_net10_project_gets_the_values_the_sdk_generates()
    {
        var options = Options(new() { ["TargetFramework"] = "net10.0" });

        Assert.Equal("net10.0", options["build_property.targetframework"]);
        Assert.Equal(".NETCoreApp", options["build_property.targetframeworkidentifier"]);
        Assert.Equal("v10.0", options["build_property.targetframeworkversion"]);
        Assert.Equal("Linux,macOS,Windows", options["build_property._supportedplatformlist"]);
        Assert.Equal("My_Lib", options["build_property.rootnamespace"]);
        Assert.Equal(Path.GetDirectoryName(Project) + Path.DirectorySeparatorChar, options["build_property.projectdir"]);
        Assert.Equal("10.0", options["build_property.effectiveanalysislevelstyle"]);
        Assert.Equal("", options["build_property.usingmicrosoftnetsdkweb"]);
        Assert.Equal("", options["build_property.invariantglobalization"]);
    }

    [Fact]
    public void Project_properties_items_and_sdk_change_them()
    {
        var options = Options(
            new() { ["TargetFrameworks"] = "net8.0-windows10.0.19041;net10.0", ["RootNamespace"] = "Acme", ["InvariantGlobalization"] = "true", ["MyFlag"] = "on", ["AnalysisLevel"] = "9-recommended" },
            visible: ["MyFlag"],
            added: ["browser"],
            usesWebSdk: true);

        Assert.Equal("net8.0-windows10.0.19041", options["build_property.targetframework"]);
        Assert.Equal("v8.0", options["build_property.targetframeworkversion"]);
        Assert.Equal("Windows,browser", options["build_property._supportedplatformlist"]);
        Assert.Equal("Acme", options["build_property.rootnamespace"]);
        Assert.Equal("true", options["build_property.invariantglobalization"]);
        Assert.Equal("true", options["build_property.usingmicrosoftnetsdkweb"]);
        Assert.Equal("on", options["build_property.myflag"]);
        Assert.Equal("9", options["build_property.effectiveanalysislevelstyle"]);

        Assert.Equal("Windows", Options(new() { ["TargetFramework"] = "net10.0" }, removed: ["Linux", "macOS"])["build_property._supportedplatformlist"]);
        Assert.Equal(".NETStandard", Options(new() { ["TargetFramework"] = "netstandard2.0" })["build_property.targetframeworkidentifier"]);
        Assert.Equal("", Options(new() { ["TargetFramework"] = "netstandard2.0" })["build_property._supportedplatformlist"]);
        Assert.Equal("v4.7.2", Options(new() { ["TargetFramework"] = "net472" })["build_property.targetframeworkversion"]);
    }
}
