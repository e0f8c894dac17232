using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using static AtomicCompose.Validation.ProjectEvaluation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AtomicCompose.Validation;

/// <summary>
/// Reads a .csproj (with the nearest Directory.Build.props and the files they import, see <see cref="ProjectEvaluation"/>)
/// as plain XML, without MSBuild, and turns it into a <see cref="ProjectContext"/>, applying the SDK's defaults where
/// they change a verdict.
/// </summary>
internal static class ProjectLoader
{
    // What Microsoft.NET.Sdk puts in the generated GlobalUsings file when ImplicitUsings is on.
    private static readonly string[] SdkImplicitUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks",
    ];

    // What Microsoft.NET.Sdk.Worker adds to them (Microsoft.NET.Sdk.Worker.props).
    private static readonly string[] WorkerSdkImplicitUsings =
    [
        "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    ];

    // What Microsoft.NET.Sdk.Web adds to them (Sdk.Server.props).
    private static readonly string[] WebSdkImplicitUsings =
    [
        "System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing",
        "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    ];

    /// <summary>The root-relative path of the nearest .csproj at or above <paramref name="relativePath"/>'s folder, up to the root.</summary>
    public static string? FindProjectFile(string root, string relativePath)
    {
        var dir = Path.GetDirectoryName(Path.Combine(root, relativePath.Replace('/', Path.DirectorySeparatorChar)));
        var rootFull = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        while (dir is not null)
        {
            var full = Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar);
            if (!full.StartsWith(rootFull, StringComparison.Ordinal))
            {
                return null;
            }

            if (Directory.Exists(full))
            {
                // Several project files in one folder is unusual; the ordinal-first one is at least deterministic.
                var project = Directory.EnumerateFiles(full, "*.csproj").Order(StringComparer.Ordinal).FirstOrDefault();
                if (project is not null)
                {
                    return ToRelative(root, project);
                }
            }

            if (full.Length == rootFull.Length)
            {
                return null;
            }

            dir = Path.GetDirectoryName(full);
        }

        return null;
    }

    /// <summary>
    /// Reads the project as a build for <paramref name="targetFramework"/> (one of <see cref="Frameworks"/>; default: the first) sees
    /// it; with <paramref name="sourcesOnly"/> the (possibly large) assets file is skipped, for a quick re-glob.
    /// </summary>
    public static ProjectContext Load(string root, string projectRelativePath, bool sourcesOnly = false, string? targetFramework = null)
    {
        var projectFull = FullPathOf(root, projectRelativePath);
        var projectDir = Path.GetDirectoryName(projectFull)!;
        var evaluation = ProjectEvaluation.Of(root, projectFull, targetFramework);
        var (documents, files, properties, project) = (evaluation.Documents, evaluation.Files, evaluation.Properties, evaluation.Project);
        var sources = CollectSources(root, projectDir, documents, properties);
        var framework = TargetFramework.Of(properties);
        var (parse, compilation) = Options(properties, framework);
        // Sdk="A;B/1.0" or <Sdk Name="A" /> elements.
        var sdks = (project.Root!.Attribute("Sdk")?.Value.Split(';') ?? [])
            .Concat(project.Root.Elements().Where(e => e.Name.LocalName == "Sdk").Select(e => e.Attribute("Name")?.Value ?? ""))
            .Select(sdk => sdk.Split('/')[0].Trim())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var isWeb = sdks.Contains("Microsoft.NET.Sdk.Web");
        var assemblyName = properties.GetValueOrDefault("AssemblyName") is { Length: > 0 } named ? named : Path.GetFileNameWithoutExtension(projectFull);
        var globalUsings = GlobalUsings(documents, properties, framework, isWeb ? WebSdkImplicitUsings : sdks.Contains("Microsoft.NET.Sdk.Worker") ? WorkerSdkImplicitUsings : [], assemblyName);
        var references = ProjectReferences(root, projectDir, documents, properties);
        var intermediate = properties.GetValueOrDefault("BaseIntermediateOutputPath") is { Length: > 0 } obj ? obj : "obj";
        var assetsFile = Path.GetFullPath(Path.Combine(projectDir, intermediate.Replace('\\', Path.DirectorySeparatorChar), "project.assets.json"));
        var packages = sourcesOnly ? RestoredPackages.None : RestoredPackages.Read(assetsFile, TargetFramework.MonikerOf(properties));
        var (sdkAnalyzers, sdkAnalyzerConfigs) = sourcesOnly ? ([], []) : Analyzers.SdkAnalyzers.For(properties, Analyzers.SdkAnalyzers.Folder);
        var (netAssemblies, frameworkAssemblies, frameworkAnalyzers) = sourcesOnly ? ([], [], []) : FrameworkAssemblies(documents, properties, framework, isWeb, packages);
        return new ProjectContext(projectRelativePath, sources, parse, compilation, globalUsings, references)
        {
            NetAssemblies = netAssemblies,
            FrameworkAssemblies = frameworkAssemblies,
            FrameworkAnalyzerAssemblies = frameworkAnalyzers,
            PackageAssemblies = packages.CompileAssemblies,
            AnalyzerAssemblies = sourcesOnly ? [] : [.. AnalyzerItems(projectDir, documents, properties), .. packages.AnalyzerAssemblies],
            AdditionalFiles = sourcesOnly ? [] : AdditionalFileItems(projectDir, documents, properties),
            SdkAnalyzerAssemblies = sdkAnalyzers,
            SdkAnalyzerConfigs = sdkAnalyzerConfigs,
            BuildProperties = sourcesOnly
                ? null
                : Analyzers.BuildProperties.For(projectFull, properties, Includes(documents, "CompilerVisibleProperty", properties), SupportedPlatformItems(documents, properties), isWeb),

            // A restore after loading (a new assets file) must be noticed like an edited project file.
            ProjectFiles = [projectRelativePath, .. files.Where(f => f != projectFull).Select(f => ToRelative(root, f)), ToRelative(root, assetsFile)],
            AssemblyName = assemblyName,
            TargetFrameworkMoniker = TargetFramework.MonikerOf(properties),
        };
    }

    private static string FullPathOf(string root, string projectRelativePath) =>
        Path.GetFullPath(Path.Combine(root, projectRelativePath.Replace('/', Path.DirectorySeparatorChar)));

    /// <summary>The monikers a build compiles the project for (<c>TargetFrameworks</c>), first first; empty when it names none.</summary>
    public static IReadOnlyList<string> Frameworks(string root, string projectRelativePath) =>
        TargetFramework.MonikersOf(ProjectEvaluation.Outer(root, FullPathOf(root, projectRelativePath)).Properties);

    /// <summary>The root-relative paths of the projects a project file references, from its XML alone (no globbing).</summary>
    public static ImmutableArray<string> ReadProjectReferences(string root, string projectRelativePath)
    {
        var projectFull = FullPathOf(root, projectRelativePath);
        try
        {
            // Every framework's: a reference made for one of them makes the project a dependent all the same.
            var outer = ProjectEvaluation.Outer(root, projectFull);
            var frameworks = ProjectEvaluation.IsMultiTargeting(outer) ? TargetFramework.MonikersOf(outer.Properties) : [];
            IEnumerable<ProjectEvaluation> evaluations = frameworks.Count == 0 ? [outer] : frameworks.Select(f => ProjectEvaluation.Inner(root, projectFull, f));
            return [.. evaluations
                .SelectMany(e => ProjectReferences(root, Path.GetDirectoryName(projectFull)!, e.Documents, e.Properties))
                .Distinct(StringComparer.Ordinal)];
        }
        catch (Exception ex) when (ex is System.Xml.XmlException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static ImmutableArray<string> ProjectReferences(string root, string projectDir, List<XDocument> documents, Dictionary<string, string> properties) =>
        Includes(documents, "ProjectReference", properties)
            .Select(r => ToRelative(root, Path.GetFullPath(Path.Combine(projectDir, r.Replace('\\', Path.DirectorySeparatorChar)))))
            .Where(r => r.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase) && !r.StartsWith("../", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToImmutableArray();

    // <Analyzer Include="..."/> names files (relative to the project folder); there is nothing to glob.
    private static IEnumerable<string> AnalyzerItems(string projectDir, List<XDocument> documents, Dictionary<string, string> properties) =>
        Includes(documents, "Analyzer", properties)
            .Select(a => Path.GetFullPath(Path.Combine(projectDir, a.Replace('\\', Path.DirectorySeparatorChar))))
            .Distinct(StringComparer.Ordinal);

    // <AdditionalFiles Include="..."/> may be a glob, relative to the project folder, as for Compile items.
    private static ImmutableArray<string> AdditionalFileItems(string projectDir, List<XDocument> documents, Dictionary<string, string> properties) =>
        [.. Includes(documents, "AdditionalFiles", properties)
            .SelectMany(pattern => Glob.Expand(projectDir, RelativeTo(projectDir, pattern)))
            .Select(f => Path.GetFullPath(Path.Combine(projectDir, f.Replace('/', Path.DirectorySeparatorChar))))
            .Distinct(StringComparer.Ordinal)];

    // <SupportedPlatform Include/Remove="..."/>: the platforms the project adds to or removes from the SDK's defaults.
    private static (IReadOnlyList<string> Added, IReadOnlyList<string> Removed) SupportedPlatformItems(List<XDocument> documents, Dictionary<string, string> properties) =>
        ([.. Includes(documents, "SupportedPlatform", properties)],
         [.. documents.SelectMany(d => Items(d, "SupportedPlatform", properties)).SelectMany(i => SplitList(Expand(i.Attribute("Remove")?.Value ?? "", properties)))]);

    private static (CSharpParseOptions, CSharpCompilationOptions) Options(Dictionary<string, string> p, TargetFramework? framework)
    {
        var language = framework?.DefaultLanguageVersion ?? LanguageVersion.Default;
        if (p.TryGetValue("LangVersion", out var lv) && lv.Length > 0 && LanguageVersionFacts.TryParse(lv, out var parsed))
        {
            language = parsed;
        }

        // The SDK builds DefineConstants as "$(DefineConstants);DEBUG;TRACE;<framework symbols>", so a
        // project's own constants add to these rather than replace them.
        var symbols = new List<string> { "DEBUG", "TRACE" };
        if (p.TryGetValue("DefineConstants", out var defines))
        {
            symbols.AddRange(SplitList(defines));
        }

        if (framework is not null && !IsTrue(p.GetValueOrDefault("DisableImplicitFrameworkDefines")))
        {
            symbols.AddRange(framework.ImplicitDefineConstants());
        }

        var parse = new CSharpParseOptions(language, DocumentationMode.Diagnose, SourceCodeKind.Regular, symbols.Distinct(StringComparer.Ordinal));
        if (InterceptorsNamespaces(p, framework) is { Length: > 0 } interceptors)
        {
            parse = parse.WithFeatures([new("InterceptorsNamespaces", interceptors)]);
        }

        var nullable = (p.GetValueOrDefault("Nullable") ?? "").ToLowerInvariant() switch
        {
            "enable" => NullableContextOptions.Enable,
            "warnings" => NullableContextOptions.Warnings,
            "annotations" => NullableContextOptions.Annotations,
            _ => NullableContextOptions.Disable,
        };

        var specific = new Dictionary<string, ReportDiagnostic>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in SplitList(p.GetValueOrDefault("WarningsAsErrors") ?? ""))
        {
            specific[NormalizeId(id)] = ReportDiagnostic.Error;
        }

        // The SDK always adds 1701;1702 (assembly unification noise).
        foreach (var id in SplitList("1701;1702;" + (p.GetValueOrDefault("NoWarn") ?? "")))
        {
            specific[NormalizeId(id)] = ReportDiagnostic.Suppress;
        }

        // Without a documentation file the compiler never asks for docs; a project that says so explicitly
        // has opted out of the missing-docs rule (malformed docs are still worth reporting).
        if (p.TryGetValue("GenerateDocumentationFile", out var gdf) && IsFalse(gdf))
        {
            specific["CS1591"] = ReportDiagnostic.Suppress;
        }

        var warningLevel = p.TryGetValue("WarningLevel", out var wl) && int.TryParse(wl, out var level) ? level : framework?.DefaultWarningLevel ?? 4;

        var compilation = new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: nullable,
                allowUnsafe: IsTrue(p.GetValueOrDefault("AllowUnsafeBlocks")),
                generalDiagnosticOption: IsTrue(p.GetValueOrDefault("TreatWarningsAsErrors")) ? ReportDiagnostic.Error : ReportDiagnostic.Default,
                warningLevel: warningLevel,
                checkOverflow: IsTrue(p.GetValueOrDefault("CheckForOverflowUnderflow")),
                specificDiagnosticOptions: specific);
        return (parse, compilation);
    }

    /// <summary>
    /// The namespaces whose interceptors the compiler accepts (the <c>InterceptorsNamespaces</c> feature): the project's
    /// own, and those the SDK adds for its generators that intercept calls: configuration binding and request delegates
    /// when enabled, validation for .NET 10 and later.
    /// </summary>
    private static string InterceptorsNamespaces(Dictionary<string, string> p, TargetFramework? framework)
    {
        var namespaces = new List<string>();
        foreach (var property in new[] { "InterceptorsNamespaces", "InterceptorsPreviewNamespaces" })
        {
            namespaces.AddRange(p.GetValueOrDefault(property, "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        namespaces.AddRange(OffByDefaultGenerators.Where(g => OffByDefaultGeneratorEnabled(p, g.Switch)).Select(g => g.InterceptorsNamespace));

        if (framework is { Identifier: TargetFramework.NetCoreApp } f && f.Version.Major >= 10)
        {
            namespaces.Add("Microsoft.Extensions.Validation.Generated");
        }

        return string.Join(';', namespaces.Distinct(StringComparer.Ordinal));
    }

    // The SDK removes these generators from the analyzers unless enabled (trimmed and AOT publishing enable them by
    // default), and allows their interceptors' namespace when enabled.
    private static readonly (string File, string Switch, string InterceptorsNamespace)[] OffByDefaultGenerators =
    [
        ("Microsoft.AspNetCore.Http.RequestDelegateGenerator", "EnableRequestDelegateGenerator", "Microsoft.AspNetCore.Http.Generated"),
        ("Microsoft.Extensions.Configuration.Binder.SourceGeneration", "EnableConfigurationBindingGenerator", "Microsoft.Extensions.Configuration.Binder.SourceGeneration"),
    ];

    private static bool OffByDefaultGeneratorEnabled(Dictionary<string, string> p, string property) =>
        p.GetValueOrDefault(property) is { Length: > 0 } value
            ? IsTrue(value)
            : IsTrue(p.GetValueOrDefault("PublishTrimmed")) || IsTrue(p.GetValueOrDefault("PublishAot"));

    /// <summary>
    /// The reference assemblies of the shared frameworks besides .NET's own: ASP.NET Core's for a web project, as the
    /// web SDK references it implicitly, and those of the project's <c>&lt;FrameworkReference&gt;</c> items. With them,
    /// the analyzer assemblies (source generators) of every shared framework the project uses, .NET's own included.
    /// </summary>
    private static (ImmutableArray<string> Net, ImmutableArray<string> Others, ImmutableArray<string> Analyzers) FrameworkAssemblies(
        List<XDocument> documents, Dictionary<string, string> p, TargetFramework? target, bool isWeb, RestoredPackages restored)
    {
        if (target is not { Identifier: TargetFramework.NetCoreApp } framework || framework.Version < new Version(3, 0))
        {
            return ([], [], []);
        }

        var names = new List<string>();
        if (isWeb && !IsTrue(p.GetValueOrDefault("DisableImplicitFrameworkReferences")))
        {
            names.Add("Microsoft.AspNetCore.App");
        }

        names.AddRange(Includes(documents, "FrameworkReference", p));
        var others = names
            .Where(name => !string.Equals(name, TargetingPacks.NetCoreApp, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var net = framework.Version.Major == FrameworkReferences.Major ? [] : TargetingPacks.Assemblies(TargetingPacks.NetCoreApp, framework, restored.TargetingPacks, DotnetInstall.Roots);
        return (
            net,
            [.. others.SelectMany(name => TargetingPacks.Assemblies(name, framework, restored.TargetingPacks, DotnetInstall.Roots))],
            [.. others.Prepend(TargetingPacks.NetCoreApp)
                .SelectMany(name => TargetingPacks.Analyzers(name, framework, restored.TargetingPacks, DotnetInstall.Roots))
                .Where(path => !OffByDefaultGenerators.Any(g => Path.GetFileNameWithoutExtension(path).Equals(g.File, StringComparison.OrdinalIgnoreCase) && !OffByDefaultGeneratorEnabled(p, g.Switch)))]);
    }

    private static string? GlobalUsings(List<XDocument> documents, Dictionary<string, string> p, TargetFramework? framework, string[] sdkUsings, string assemblyName)
    {
        var usings = new List<(string Name, string? Alias, bool Static)>();
        if (p.TryGetValue("ImplicitUsings", out var iu) && (IsTrue(iu) || iu.Equals("enable", StringComparison.OrdinalIgnoreCase)))
        {
            usings.AddRange(SdkImplicitUsings.Concat(sdkUsings).Select(u => (u, (string?)null, false)));
        }

        foreach (var item in documents.SelectMany(d => Items(d, "Using", p)))
        {
            if (item.Attribute("Include")?.Value is { } include)
            {
                var alias = item.Attribute("Alias")?.Value;
                var isStatic = IsTrue(item.Attribute("Static")?.Value);
                foreach (var name in SplitList(Expand(include, p)))
                {
                    usings.Add((name, alias, isStatic));
                }
            }
            else if (item.Attribute("Remove")?.Value is { } remove)
            {
                var removed = SplitList(Expand(remove, p)).ToHashSet(StringComparer.Ordinal);
                usings.RemoveAll(u => removed.Contains(u.Name));
            }
        }

        // The assembly attributes the SDK generates that change a verdict: friends see internals, and CA1416 takes
        // the assembly's platform from the platform attributes of a platform-specific framework.
        var attributes = Includes(documents, "InternalsVisibleTo", p)
            .Distinct(StringComparer.Ordinal)
            .Select(friend => $"global::System.Runtime.CompilerServices.InternalsVisibleTo({SymbolDisplay.FormatLiteral(friend, quote: true)})")
            .ToList();
        if (!IsFalse(p.GetValueOrDefault("GenerateAssemblyInfo") ?? "") && framework is not null)
        {
            attributes.AddRange(AssemblyInfoAttributes(p, assemblyName));
            attributes.AddRange(framework.PlatformAttributes(p.GetValueOrDefault("SupportedOSPlatformVersion")));
        }

        // Not an AssemblyInfo attribute: GenerateAssemblyInfo=false keeps it.
        if (framework is not null && !IsFalse(p.GetValueOrDefault("GenerateTargetFrameworkAttribute") ?? ""))
        {
            attributes.Add(framework.MonikerAttribute());
        }

        if (usings.Count == 0 && attributes.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder("// <auto-generated/>\n");
        foreach (var (name, alias, isStatic) in usings.Distinct())
        {
            text.Append("global using ")
                .Append(isStatic ? "static " : "")
                .Append(alias is null ? "" : alias + " = ")
                .Append("global::").Append(name).Append(";\n");
        }

        // After the usings: the compiler takes a using directive after an attribute for an error, and would drop them all.
        foreach (var attribute in attributes)
        {
            text.Append("[assembly: ").Append(attribute).Append("]\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// The assembly attributes of the SDK's generated AssemblyInfo file (each behind its <c>Generate…Attribute</c> switch):
    /// one more of them in the sources is a duplicate (CS0579) in a build. Values follow the properties, with the SDK's
    /// defaults; the informational version has no source revision appended.
    /// </summary>
    private static IEnumerable<string> AssemblyInfoAttributes(Dictionary<string, string> p, string assemblyName)
    {
        string? Value(string property, string? fallback = null) => p.GetValueOrDefault(property) is { Length: > 0 } v ? v : fallback;
        var version = Value("Version", "1.0.0")!;
        var numeric = version.Split('-', '+')[0];
        (string Switch, string Attribute, string? Value)[] generated =
        [
            ("GenerateAssemblyCompanyAttribute", "System.Reflection.AssemblyCompanyAttribute", Value("Company", assemblyName)),
            ("GenerateAssemblyConfigurationAttribute", "System.Reflection.AssemblyConfigurationAttribute", Value("Configuration", "Debug")),
            ("GenerateAssemblyCopyrightAttribute", "System.Reflection.AssemblyCopyrightAttribute", Value("Copyright")),
            ("GenerateAssemblyDescriptionAttribute", "System.Reflection.AssemblyDescriptionAttribute", Value("Description")),
            ("GenerateAssemblyFileVersionAttribute", "System.Reflection.AssemblyFileVersionAttribute", Value("FileVersion", Value("AssemblyVersion", numeric))),
            ("GenerateAssemblyInformationalVersionAttribute", "System.Reflection.AssemblyInformationalVersionAttribute", Value("InformationalVersion", version)),
            ("GenerateAssemblyProductAttribute", "System.Reflection.AssemblyProductAttribute", Value("Product", assemblyName)),
            ("GenerateAssemblyTitleAttribute", "System.Reflection.AssemblyTitleAttribute", Value("AssemblyTitle", assemblyName)),
            ("GenerateAssemblyVersionAttribute", "System.Reflection.AssemblyVersionAttribute", Value("AssemblyVersion", numeric)),
            ("GenerateNeutralResourcesLanguageAttribute", "System.Resources.NeutralResourcesLanguageAttribute", Value("NeutralLanguage")),
        ];
        return generated
            .Where(g => g.Value is not null && !IsFalse(p.GetValueOrDefault(g.Switch) ?? ""))
            .Select(g => $"global::{g.Attribute}({SymbolDisplay.FormatLiteral(g.Value!, quote: true)})");
    }

    private static ImmutableArray<string> CollectSources(string root, string projectDir, List<XDocument> documents, Dictionary<string, string> p)
    {
        // Paths relative to the project folder, '/'-separated, as MSBuild globs see them.
        var included = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Add(string projectRelative)
        {
            if (seen.Add(projectRelative))
            {
                included.Add(projectRelative);
            }
        }

        if (!p.TryGetValue("EnableDefaultCompileItems", out var edci) || !IsFalse(edci))
        {
            var defaultExcludes = new List<Regex> { Glob.ToRegex("bin/**"), Glob.ToRegex("obj/**") };
            defaultExcludes.AddRange(SplitList(p.GetValueOrDefault("DefaultItemExcludes") ?? "").Select(x => Glob.ToRegex(RelativeTo(projectDir, x))));
            foreach (var file in Glob.Expand(projectDir, "**/*.cs"))
            {
                if (!defaultExcludes.Any(r => r.IsMatch(file)))
                {
                    Add(file);
                }
            }
        }

        foreach (var item in documents.SelectMany(d => Items(d, "Compile", p)))
        {
            if (item.Attribute("Include")?.Value is { } include)
            {
                var excludes = SplitList(Expand(item.Attribute("Exclude")?.Value ?? "", p)).Select(x => Glob.ToRegex(RelativeTo(projectDir, x))).ToList();
                foreach (var pattern in SplitList(Expand(include, p)))
                {
                    foreach (var file in Glob.Expand(projectDir, RelativeTo(projectDir, pattern)))
                    {
                        if (!excludes.Any(r => r.IsMatch(file)))
                        {
                            Add(file);
                        }
                    }
                }
            }
            else if (item.Attribute("Remove")?.Value is { } remove)
            {
                var removes = SplitList(Expand(remove, p)).Select(x => Glob.ToRegex(RelativeTo(projectDir, x))).ToList();
                included.RemoveAll(f => removes.Any(r => r.IsMatch(f)));
                seen.RemoveWhere(f => removes.Any(r => r.IsMatch(f)));
            }
        }

        return [.. included.Select(f => ToRelative(root, Path.GetFullPath(Path.Combine(projectDir, f.Replace('/', Path.DirectorySeparatorChar)))))];
    }

    private static IEnumerable<XElement> Elements(XElement root, string name) => root.Elements().Where(e => e.Name.LocalName == name);

    // The values an item type's Include attributes list (items whose condition holds), with properties expanded.
    private static IEnumerable<string> Includes(List<XDocument> documents, string itemType, Dictionary<string, string> properties) =>
        documents.SelectMany(d => Items(d, itemType, properties)).SelectMany(i => SplitList(Expand(i.Attribute("Include")?.Value ?? "", properties)));

    // Items are evaluated after every property, with the final values, as in MSBuild.
    private static IEnumerable<XElement> Items(XDocument doc, string itemType, Dictionary<string, string> properties) =>
        ItemGroups(doc, properties).SelectMany(g => Elements(g, itemType)).Where(i => Holds(i, properties));

    private static IEnumerable<string> SplitList(string value) =>
        value.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string NormalizeId(string id) => id.All(char.IsDigit) ? "CS" + id.PadLeft(4, '0') : id.ToUpperInvariant();

    private static bool IsTrue(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    private static bool IsFalse(string? value) => string.Equals(value?.Trim(), "false", StringComparison.OrdinalIgnoreCase);

    private static string RelativeTo(string projectDir, string pattern)
    {
        var normalized = pattern.Replace('\\', '/');
        if (!Path.IsPathRooted(normalized))
        {
            return normalized;
        }

        // Split off the wildcard part so GetRelativePath sees a real path.
        var firstWildcard = normalized.IndexOfAny(['*', '?']);
        var fixedPart = firstWildcard < 0 ? normalized : normalized[..(normalized.LastIndexOf('/', firstWildcard) + 1)];
        var rest = firstWildcard < 0 ? "" : normalized[fixedPart.Length..];
        var relative = Path.GetRelativePath(projectDir, fixedPart).Replace('\\', '/');
        return relative == "." ? rest : rest.Length == 0 ? relative : relative.TrimEnd('/') + "/" + rest;
    }

    internal static string ToRelative(string root, string fullPath) =>
        Path.GetRelativePath(Path.GetFullPath(root), fullPath).Replace('\\', '/');
}
