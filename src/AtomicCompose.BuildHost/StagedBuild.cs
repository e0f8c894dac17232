using System.Xml;
using Microsoft.Build.Construction;
using Microsoft.Build.Definition;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Evaluation.Context;
using Microsoft.Build.Exceptions;
using Microsoft.Build.Execution;
using Microsoft.Build.Framework;
using AtomicCompose.Validation.Build;

namespace AtomicCompose.BuildHost;

/// <summary>
/// Evaluates a project with staged files, as Visual Studio's project system evaluates a project file not saved yet: the
/// staged MSBuild files are in-memory elements of the project collection (an import of one loads it instead of the disk's),
/// and the evaluation's file system is the disk with the staged files over it. Then runs the design-time build of each
/// framework on the evaluated instance, in this process (MSBuild's in-proc node).
/// </summary>
internal static class StagedBuild
{
    public static HostResponse Run(HostRequest request)
    {
        var staged = request.Files.ToDictionary(kv => Path.GetFullPath(kv.Key), kv => kv.Value, MSBuildFiles.PathComparer);
        var response = new HostResponse();
        using var onDisk = new ProjectCollection();
        using var withStaged = new ProjectCollection();

        // Held for the whole run: the collection's cache holds elements weakly, and one dropped would be read from disk.
        var elements = new List<ProjectRootElement>();
        foreach (var (path, text) in staged)
        {
            if (text is not null && MSBuildFiles.IsBuildFile(path))
            {
                try
                {
                    using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
                    var element = ProjectRootElement.Create(reader, withStaged, preserveFormatting: true);
                    element.FullPath = path;
                    elements.Add(element);
                }
                catch (InvalidProjectFileException ex)
                {
                    throw new StagedBuildException($"MSBuild cannot read the staged {path}: ({ex.LineNumber},{ex.ColumnNumber}): {ex.ErrorCode}: {ex.BaseMessage}");
                }
            }
        }

        // One context per side for all of its evaluations (MSBuild takes a file system only with a shared context).
        var fileSystem = EvaluationContext.Create(EvaluationContext.SharingPolicy.Shared, new StagedFileSystem(staged));
        var disk = EvaluationContext.Create(EvaluationContext.SharingPolicy.Shared);
        var outer = Evaluate(withStaged, fileSystem, request.Project, []);
        var before = EvaluateOrNull(onDisk, disk, request.Project, []);
        var frameworks = outer.GetPropertyValue("TargetFramework") is { Length: > 0 }
            ? []
            : outer.GetPropertyValue("TargetFrameworks").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        // Each framework's evaluation, staged and on disk: an import can be conditioned on the framework.
        var inner = frameworks
            .Select(f => (Framework: f, Staged: Evaluate(withStaged, fileSystem, request.Project, new() { ["TargetFramework"] = f }), Disk: EvaluateOrNull(onDisk, disk, request.Project, new() { ["TargetFramework"] = f })))
            .ToList();
        response.ReadsStagedFiles = staged.ContainsKey(Path.GetFullPath(request.Project))
            || new[] { outer, before }.Concat(inner.SelectMany(i => new[] { i.Staged, i.Disk })).Any(p => p is not null && Reads(p, staged));
        if (!response.ReadsStagedFiles)
        {
            return response;
        }

        response.Evaluation = Read(outer.CreateProjectInstance(), request.EvaluationProperties, request.EvaluationItems);
        response.RestoreInputsChanged.AddRange(RestoreChanges(before, outer, request.RestoreItems, null));
        foreach (var (framework, stagedInner, diskInner) in inner)
        {
            response.RestoreInputsChanged.AddRange(RestoreChanges(diskInner, stagedInner, request.RestoreItems, framework));
        }

        foreach (var framework in frameworks.Count == 0 ? [""] : frameworks)
        {
            var properties = new Dictionary<string, string>(request.BuildProperties, StringComparer.OrdinalIgnoreCase);
            if (request.IntermediateOutputRoot.Length > 0)
            {
                properties["IntermediateOutputPath"] = Path.Combine(request.IntermediateOutputRoot, framework.Length > 0 ? framework : "_") + Path.DirectorySeparatorChar;
            }

            if (framework.Length > 0)
            {
                properties["TargetFramework"] = framework;
            }

            if (request.BuildTargets.Count > 0)
            {
                var project = Evaluate(withStaged, fileSystem, request.Project, properties);
                response.Builds[framework] = Build(withStaged, project, request);
            }
        }

        GC.KeepAlive(elements);
        return response;
    }

    private static bool Reads(Project project, Dictionary<string, string?> staged) =>
        project.Imports.Any(import => staged.ContainsKey(Path.GetFullPath(import.ImportedProject.FullPath)));

    // The files on disk may not evaluate (an import the transaction is about to create): then there is nothing to compare.
    private static Project? EvaluateOrNull(ProjectCollection collection, EvaluationContext context, string projectPath, Dictionary<string, string> globalProperties)
    {
        try
        {
            return Evaluate(collection, context, projectPath, globalProperties);
        }
        catch (StagedBuildException)
        {
            return null;
        }
    }

    private static Project Evaluate(ProjectCollection collection, EvaluationContext context, string projectPath, Dictionary<string, string> globalProperties)
    {
        var options = new ProjectOptions
        {
            ProjectCollection = collection,
            GlobalProperties = globalProperties,
            EvaluationContext = context,
        };
        try
        {
            // A staged project file is in the collection already: the path finds it there.
            return Project.FromFile(projectPath, options);
        }
        catch (InvalidProjectFileException ex)
        {
            throw new StagedBuildException($"MSBuild cannot evaluate {projectPath} with the staged files: {ex.ProjectFile}({ex.LineNumber},{ex.ColumnNumber}): {ex.ErrorCode}: {ex.BaseMessage}");
        }
    }

    private static HostResult Build(ProjectCollection collection, Project project, HostRequest request)
    {
        var instance = project.CreateProjectInstance();
        var errors = new ErrorLogger();
        var parameters = new BuildParameters(collection)
        {
            Loggers = [errors],
            EnableNodeReuse = false,
            MaxNodeCount = 1,
            DisableInProcNode = false,
        };

        var result = BuildManager.DefaultBuildManager.Build(
            parameters, new BuildRequestData(instance, [.. request.BuildTargets], null, BuildRequestDataFlags.ProvideProjectStateAfterBuild));
        if (result.OverallResult != BuildResultCode.Success)
        {
            throw new StagedBuildException(
                $"The design-time build of {project.FullPath} ({project.GetPropertyValue("TargetFramework")}) with the staged files failed:{Environment.NewLine}{string.Join(Environment.NewLine, errors.Errors)}");
        }

        return Read(result.ProjectStateAfterBuild ?? instance, request.BuildResultProperties, request.BuildResultItems);
    }

    private static HostResult Read(ProjectInstance instance, IEnumerable<string> properties, IEnumerable<string> items)
    {
        var result = new HostResult();
        foreach (var name in properties)
        {
            result.Properties[name] = instance.GetPropertyValue(name);
        }

        foreach (var type in items)
        {
            result.Items[type] = [.. instance.GetItems(type).Select(item =>
            {
                var values = item.Metadata.ToDictionary(m => m.Name, m => m.EvaluatedValue, StringComparer.Ordinal);
                values["Identity"] = item.EvaluatedInclude;
                return values;
            })];
        }

        return result;
    }

    // The restore inputs (package references and versions, framework references) that differ between the two evaluations.
    private static IEnumerable<string> RestoreChanges(Project? before, Project after, IEnumerable<string> itemTypes, string? framework)
    {
        if (before is null)
        {
            yield break; // the files on disk do not evaluate: no restore of theirs to compare with
        }

        var suffix = framework is null ? "" : $" ({framework})";
        foreach (var type in itemTypes)
        {
            var old = before.GetItems(type).Select(Describe).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var now = after.GetItems(type).Select(Describe).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var added in now.Except(old, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
            {
                yield return $"{type} {added} added{suffix}";
            }

            foreach (var removed in old.Except(now, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
            {
                yield return $"{type} {removed} removed{suffix}";
            }
        }

        foreach (var property in new[] { "TargetFrameworks", "TargetFramework", "RuntimeIdentifiers", "RuntimeIdentifier" })
        {
            if (!string.Equals(before.GetPropertyValue(property), after.GetPropertyValue(property), StringComparison.OrdinalIgnoreCase))
            {
                yield return $"{property} changed{suffix}";
            }
        }
    }

    private static string Describe(ProjectItem item) =>
        string.Join(' ', new[] { item.EvaluatedInclude, item.GetMetadataValue("Version"), item.GetMetadataValue("VersionOverride") }.Where(v => v.Length > 0));

    private sealed class ErrorLogger : ILogger
    {
        public List<string> Errors { get; } = [];

        public LoggerVerbosity Verbosity { get; set; } = LoggerVerbosity.Quiet;

        public string? Parameters { get; set; }

        public void Initialize(IEventSource eventSource) =>
            eventSource.ErrorRaised += (_, e) => Errors.Add($"{e.File}({e.LineNumber},{e.ColumnNumber}): error {e.Code}: {e.Message}");

        public void Shutdown()
        {
        }
    }
}
