using System.Collections.Immutable;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace AtomicCompose.Validation.Build;

/// <summary>
/// Asks MSBuild what a build of a project compiles: <c>dotnet msbuild</c> evaluates the project, and a design-time build
/// (<c>Compile</c> with <c>SkipCompilerExecution</c> and <c>ProvideCommandLineArgs</c>, as Visual Studio's project system
/// and Roslyn's MSBuildWorkspace run it) gives the compiler command line the build would run, per target framework.
/// MSBuild runs in its own process, as Roslyn's BuildHost does, so no MSBuild assembly loads into the caller's process;
/// <c>-getItem</c>/<c>-getProperty</c> (SDK 8 and later) print the results as JSON.
/// </summary>
internal static class DesignTimeBuild
{
    // What Roslyn's MSBuildWorkspace and the project system set for a design-time build: nothing is compiled, copied or
    // built for the references, and the compiler's command line is kept as items.
    private static readonly (string Name, string Value)[] DesignTimeProperties =
    [
        ("DesignTimeBuild", "true"),
        ("BuildingProject", "false"),
        ("BuildProjectReferences", "false"),
        ("SkipCompilerExecution", "true"),
        ("ProvideCommandLineArgs", "true"),
        ("DisableRarCache", "true"),
        ("AutoGenerateBindingRedirects", "false"),
        ("CopyBuildOutputToOutputDirectory", "false"),
        ("CopyOutputSymbolsToOutputDirectory", "false"),

        // An input that never exists, so that CoreCompile always runs (and gives its command line) even when a build's
        // output in obj/ is newer than every input: the value Visual Studio's design-time builds get.
        ("NonExistentFile", @"__NonExistentSubDir__\__NonExistentFile__"),
    ];

    /// <summary>The properties read from the project's evaluation (outer, for a multi-targeting project).</summary>
    private static readonly string[] EvaluationProperties =
    [
        "TargetFramework", "TargetFrameworks", "ProjectAssetsFile", "NETCoreSdkVersion", "MSBuildProjectExtensionsPath",
        "DirectoryBuildPropsPath", "DirectoryBuildTargetsPath", "DirectoryPackagesPropsPath",
    ];

    /// <summary>Evaluates the project (no target runs): its frameworks and where its restore output is.</summary>
    /// <param name="projectFullPath">Full path of the project file.</param>
    /// <param name="cancellationToken">Cancels (kills the MSBuild process).</param>
    /// <param name="dotnet">The <c>dotnet</c> host to run; null: <see cref="DotnetHost.Path"/>.</param>
    public static ProjectEvaluationResult Evaluate(string projectFullPath, CancellationToken cancellationToken = default, string? dotnet = null)
    {
        var json = Run(dotnet, projectFullPath, [.. EvaluationProperties.Select(p => "-getProperty:" + p), "-getItem:ProjectReference"], cancellationToken);
        return ReadEvaluation(projectFullPath, json);
    }

    private static ProjectEvaluationResult ReadEvaluation(string projectFullPath, string json)
    {
        var properties = ReadProperties(json);
        using var document = JsonDocument.Parse(json);
        var references = ItemsOf(document.RootElement.TryGetProperty("Items", out var items) ? items : default, "ProjectReference")
            .Select(item => item.GetProperty("Identity").GetString()!)
            .ToImmutableArray();
        var single = properties.GetValueOrDefault("TargetFramework") ?? "";
        var frameworks = (properties.GetValueOrDefault("TargetFrameworks") ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToImmutableArray();
        if (frameworks.IsEmpty && single.Length > 0)
        {
            frameworks = [single];
        }

        return new ProjectEvaluationResult(projectFullPath, frameworks, properties) { ProjectReferences = references };
    }

    /// <summary>
    /// Runs a design-time build of the project for <paramref name="targetFramework"/> (null: a project with one framework,
    /// or none) and returns the compiler's command line with what it was made from.
    /// </summary>
    public static CompilerInvocation CompilerInputs(string projectFullPath, string? targetFramework, CancellationToken cancellationToken = default, string? dotnet = null)
    {
        var arguments = new List<string> { "-t:Compile" };
        arguments.AddRange(DesignTimeProperties.Select(p => $"-p:{p.Name}={p.Value}"));
        if (targetFramework is not null)
        {
            arguments.Add("-p:TargetFramework=" + targetFramework);
        }

        arguments.AddRange([.. BuildResultItems.Select(i => "-getItem:" + i), .. BuildResultProperties.Select(p => "-getProperty:" + p)]);
        return ReadCompilerInvocation(projectFullPath, targetFramework, Run(dotnet, projectFullPath, arguments, cancellationToken));
    }

    private static readonly string[] BuildResultItems = ["CscCommandLineArgs", "ReferencePathWithRefAssemblies"];

    private static readonly string[] BuildResultProperties = ["ProjectAssetsFile", "TargetFramework", "GenerateDocumentationFile", "MSBuildProjectExtensionsPath"];

    // What a restore reads from a project: a staged file that changes one of these needs a restore before a build.
    private static readonly string[] RestoreItems = ["PackageReference", "PackageVersion", "PackageDownload", "FrameworkReference"];

    /// <summary>
    /// Evaluates and design-time builds the project with <paramref name="staged"/> (full path: new text, or null for a file
    /// the transaction deletes) in place of the files on disk: MSBuild's own evaluation of a project with project files
    /// not saved yet, in the library's MSBuild host (<see cref="BuildHostLocation"/>). The build's intermediate files go
    /// under <paramref name="intermediateRoot"/>, not into the project's <c>obj</c> folder, whose files a build trusts
    /// (a generated file newer than the project file is not generated again). Null when the project reads none of the staged files.
    /// </summary>
    public static StagedProjectInputs? WithStagedFiles(
        string projectFullPath, IReadOnlyDictionary<string, string?> staged, string intermediateRoot, CancellationToken cancellationToken = default, string? dotnet = null)
    {
        var request = JsonSerializer.Serialize(new
        {
            Project = projectFullPath,
            Files = staged,
            EvaluationProperties,
            EvaluationItems = new[] { "ProjectReference" },
            RestoreItems,
            BuildTargets = new[] { "Compile" },
            BuildProperties = DesignTimeProperties.ToDictionary(p => p.Name, p => p.Value),
            IntermediateOutputRoot = intermediateRoot,
            BuildResultProperties,
            BuildResultItems,
        });
        var output = Dotnet(dotnet, ["exec", BuildHostLocation.Path], Path.GetDirectoryName(projectFullPath)!, cancellationToken, request);
        try
        {
            using var response = JsonDocument.Parse(output);
            var root = response.RootElement;
            if (!root.GetProperty("ReadsStagedFiles").GetBoolean())
            {
                return null;
            }

            var evaluation = ReadEvaluation(projectFullPath, root.GetProperty("Evaluation").GetRawText());
            var invocations = root.GetProperty("Builds").EnumerateObject()
                .Select(build => ReadCompilerInvocation(projectFullPath, build.Name.Length == 0 ? null : build.Name, build.Value.GetRawText()))
                .ToImmutableArray();
            var restoreChanges = root.GetProperty("RestoreInputsChanged").EnumerateArray().Select(e => e.GetString()!).ToImmutableArray();
            return new StagedProjectInputs(evaluation, invocations, restoreChanges);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new DesignTimeBuildException($"The MSBuild host gave no answer it could read for {projectFullPath}: {ex.Message}", output);
        }
    }

    private static CompilerInvocation ReadCompilerInvocation(string projectFullPath, string? targetFramework, string json)
    {
        using var document = JsonDocument.Parse(json);
        var items = document.RootElement.TryGetProperty("Items", out var i) ? i : default;
        var commandLine = ItemsOf(items, "CscCommandLineArgs").Select(item => item.GetProperty("Identity").GetString()!).ToImmutableArray();
        if (commandLine.IsEmpty)
        {
            throw new DesignTimeBuildException($"The design-time build of {projectFullPath} ({targetFramework ?? "its framework"}) gave no compiler command line.", json);
        }

        var projectReferences = ImmutableArray.CreateBuilder<ProjectReferenceOutput>();
        foreach (var reference in ItemsOf(items, "ReferencePathWithRefAssemblies"))
        {
            if (Metadata(reference, "ReferenceSourceTarget") == "ProjectReference" && Metadata(reference, "MSBuildSourceProjectFile") is { Length: > 0 } project)
            {
                projectReferences.Add(new ProjectReferenceOutput(
                    Path.GetFullPath(project),
                    reference.GetProperty("Identity").GetString()!,
                    Metadata(reference, "NearestTargetFramework") is { Length: > 0 } nearest ? nearest : null));
            }
        }

        return new CompilerInvocation(projectFullPath, targetFramework, commandLine, projectReferences.ToImmutable(), ReadProperties(json));
    }

    /// <summary>
    /// The SDK's own check that the restore covers what the project builds: <c>CheckForTargetInAssetsFile</c> in the
    /// <c>RunResolvePackageDependencies</c> target, which fails with NETSDK1005 (no target for a framework) or NETSDK1047
    /// (none for the runtime). A design-time build skips that task and resolves a missing framework's packages as none, so
    /// it is run here as a build runs it (no <c>DesignTimeBuild</c>), in every inner build of a multi-targeting project
    /// (<c>InnerTargets</c>, as the outer <c>Build</c> dispatches them). Throws <see cref="DesignTimeBuildException"/> with
    /// MSBuild's output when the check fails.
    /// </summary>
    public static void CheckRestoreCovers(ProjectEvaluationResult evaluation, CancellationToken cancellationToken = default, string? dotnet = null)
    {
        const string Check = "RunResolvePackageDependencies";
        string[] targets = evaluation.IsCrossTargeting ? ["-t:DispatchToInnerBuilds", "-p:InnerTargets=" + Check] : ["-t:" + Check];
        Dotnet(dotnet, ["msbuild", evaluation.ProjectFullPath, "-nologo", "-nr:false", "-v:q", .. targets], Path.GetDirectoryName(evaluation.ProjectFullPath)!, cancellationToken);
    }

    /// <summary>Runs <c>dotnet restore</c> of the project (it can reach the network).</summary>
    public static void Restore(string projectFullPath, CancellationToken cancellationToken = default, string? dotnet = null) =>
        Dotnet(dotnet, ["restore", projectFullPath, "-nologo", "-v:q", "-nr:false"], Path.GetDirectoryName(projectFullPath)!, cancellationToken);

    private static IEnumerable<JsonElement> ItemsOf(JsonElement items, string name) =>
        items.ValueKind == JsonValueKind.Object && items.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [];

    private static string? Metadata(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static ImmutableDictionary<string, string> ReadProperties(string json)
    {
        using var document = JsonDocument.Parse(json);
        var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        if (document.RootElement.TryGetProperty("Properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                builder[property.Name] = property.Value.GetString() ?? "";
            }
        }

        return builder.ToImmutable();
    }

    private static string Run(string? dotnet, string projectFullPath, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        // Two or more -getProperty/-getItem switches always print JSON (one alone prints the bare value).
        var output = Dotnet(dotnet, ["msbuild", projectFullPath, "-nologo", "-nr:false", "-v:q", .. arguments, "-getProperty:MSBuildProjectFullPath"], Path.GetDirectoryName(projectFullPath)!, cancellationToken);
        var start = output.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
        {
            throw new DesignTimeBuildException($"MSBuild gave no result for {projectFullPath}.", output);
        }

        return output[start..];
    }

    // dotnet: the host to run (a test names a missing one); null: DotnetHost.Path.
    private static string Dotnet(string? dotnet, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken, string? input = null)
    {
        var host = dotnet ?? DotnetHost.Path;
        var start = new ProcessStartInfo(host)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A quiet, reproducible run: no first-run banner, telemetry or terminal logger, no node left behind.
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDTERMINALLOGGER"] = "off";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new DotnetNotFoundException("dotnet could not be started.");
        }
        catch (Win32Exception ex)
        {
            throw new DotnetNotFoundException($"The .NET SDK ('{host}') could not be started: {ex.Message}");
        }

        using (process)
        using (cancellationToken.Register(() =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
        }))
        {
            var error = process.StandardError.ReadToEndAsync(CancellationToken.None);

            // Written beside the reads, so that neither side waits on a full pipe; a host that exits before reading it
            // all says why in its exit code and output.
            var writing = input is null ? Task.CompletedTask : Task.Run(() =>
            {
                try
                {
                    process.StandardInput.Write(input);
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // The process is gone; its exit code is the answer.
                }
            });
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            writing.Wait(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            if (process.ExitCode != 0 && (output + error.Result).Contains("No .NET SDKs were found", StringComparison.Ordinal))
            {
                // A runtime without an SDK: the host's own words (hostfxr), as there is no MSBuild to ask.
                throw new DotnetNotFoundException($"'{host}' has no .NET SDK: {(output + error.Result).Trim()}");
            }

            if (process.ExitCode != 0)
            {
                throw new DesignTimeBuildException(
                    $"'dotnet {string.Join(' ', arguments.Take(2))}' failed with exit code {process.ExitCode}.", (output + "\n" + error.Result).Trim());
            }

            return output;
        }
    }
}

/// <summary>A project's evaluation: its frameworks (first first; empty when it names none) and its properties.</summary>
internal sealed record ProjectEvaluationResult(string ProjectFullPath, ImmutableArray<string> Frameworks, ImmutableDictionary<string, string> Properties)
{
    /// <summary>The restore output MSBuild reads (<c>project.assets.json</c>), wherever the project puts it.</summary>
    public string? AssetsFile => Properties.GetValueOrDefault("ProjectAssetsFile") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>The project's <c>ProjectReference</c> items as written (relative to its folder).</summary>
    public ImmutableArray<string> ProjectReferences { get; init; } = [];

    /// <summary>The referenced projects inside <paramref name="root"/>, root-relative, each once.</summary>
    public ImmutableArray<string> ReferencedProjects(string root)
    {
        var projectDir = Path.GetDirectoryName(ProjectFullPath)!;
        return [.. ProjectReferences
            .Select(r => ProjectFiles.ToRelative(root, Path.GetFullPath(r, projectDir)))
            .Where(r => !r.StartsWith("../", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Whether the SDK's check that the restore covers every framework passed for this evaluation (<see cref="DesignTimeBuild.CheckRestoreCovers"/>).</summary>
    public bool RestoreChecked { get; init; }

    /// <summary>Whether this is the outer evaluation of a project that builds once per framework (<c>TargetFrameworks</c> without <c>TargetFramework</c>).</summary>
    public bool IsCrossTargeting => !Frameworks.IsEmpty && Properties.GetValueOrDefault("TargetFramework") is null or "";

    /// <summary>The SDK that evaluated the project.</summary>
    public string SdkVersion => Properties.GetValueOrDefault("NETCoreSdkVersion") ?? "";
}

/// <summary>A project's evaluation and design-time builds with the staged files (<see cref="DesignTimeBuild.WithStagedFiles"/>).</summary>
/// <param name="Evaluation">The outer evaluation.</param>
/// <param name="Invocations">One compiler command line per framework.</param>
/// <param name="RestoreInputsChanged">The restore inputs the staged files change ("PackageReference X 1.0 added (net8.0)"); empty when none.</param>
internal sealed record StagedProjectInputs(ProjectEvaluationResult Evaluation, ImmutableArray<CompilerInvocation> Invocations, ImmutableArray<string> RestoreInputsChanged);

/// <summary>The compiler command line of one design-time build, and the project references it was made with.</summary>
/// <param name="ProjectFullPath">The project.</param>
/// <param name="TargetFramework">The framework it was built for (null: its only one, or none).</param>
/// <param name="Arguments">The compiler's arguments (<c>CscCommandLineArgs</c>), relative paths relative to the project folder.</param>
/// <param name="ProjectReferences">The referenced projects' outputs, which the engine compiles from their sources instead.</param>
/// <param name="Properties">Properties after the build.</param>
internal sealed record CompilerInvocation(
    string ProjectFullPath,
    string? TargetFramework,
    ImmutableArray<string> Arguments,
    ImmutableArray<ProjectReferenceOutput> ProjectReferences,
    ImmutableDictionary<string, string> Properties);

/// <summary>A referenced project, the output path the compiler would read, and which of its frameworks MSBuild picked.</summary>
internal sealed record ProjectReferenceOutput(string ProjectFullPath, string OutputPath, string? NearestTargetFramework);

/// <summary>MSBuild failed to evaluate or design-time build a project.</summary>
internal sealed class DesignTimeBuildException(string message, string output) : Exception(message)
{
    /// <summary>What MSBuild printed.</summary>
    public string Output { get; } = output;
}

/// <summary>There is no .NET SDK to ask.</summary>
internal sealed class DotnetNotFoundException(string message) : Exception(message);

/// <summary>
/// The library's MSBuild host (<c>AtomicCompose.BuildHost.dll</c>), in the <c>BuildHost</c> folder beside the library, where
/// the build and the package put it.
/// </summary>
internal static class BuildHostLocation
{
    public static string Path
    {
        get
        {
            var beside = System.IO.Path.GetDirectoryName(typeof(BuildHostLocation).Assembly.Location);
            foreach (var folder in new[] { beside, AppContext.BaseDirectory }.OfType<string>().Where(f => f.Length > 0))
            {
                var candidate = System.IO.Path.Combine(folder, "BuildHost", "AtomicCompose.BuildHost.dll");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new DesignTimeBuildException($"The library's MSBuild host (BuildHost/AtomicCompose.BuildHost.dll) is not beside {typeof(BuildHostLocation).Assembly.Location}; the package's files are incomplete.", "");
        }
    }
}

/// <summary>The <c>dotnet</c> host that runs MSBuild: <c>DOTNET_HOST_PATH</c> (set by the SDK for the tools it runs), else the one next to the running runtime, else <c>dotnet</c> on the PATH.</summary>
internal static class DotnetHost
{
    private static readonly Lazy<string> LazyPath = new(Find);

    public static string Path => LazyPath.Value;

    private static string Find()
    {
        var exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        foreach (var root in DotnetInstall.Roots)
        {
            var candidate = System.IO.Path.Combine(root, exe);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return exe;
    }
}
