using System.Collections.Immutable;
using AtomicCompose.Validation;
using AtomicCompose.Validation.Build;

namespace AtomicCompose.Tests.Validation.Build;

/// <summary>What a context from a compiler command line is stamped by.</summary>
public sealed class BuildContextsTests
{
    [Fact]
    public void A_context_from_msbuild_is_stamped_by_every_place_the_sdk_looks_for_config_files_and_a_callers_is_not()
    {
        var root = Path.Combine(Path.GetTempPath(), "ac-places", "ws");
        var project = Path.Combine(root, "app", "App.csproj");
        var invocation = new CompilerInvocation(project, null, ["src/A.cs", "src/Deep/B.cs", "../shared/C.cs"], [], ImmutableDictionary<string, string>.Empty);

        var context = BuildContexts.From(root, [project], invocation, ProjectInputsSource.MSBuild);

        // Each folder from each source's up, above the workspace root too, each once.
        string[] expected = ["app/src/Deep/", "app/src/", "app/", "shared/", "", "../", "../../"];
        foreach (var folder in expected)
        {
            Assert.Contains(folder + ".editorconfig", context.ProjectFiles);
            Assert.Contains(folder + ".globalconfig", context.ProjectFiles);
        }

        var places = context.ProjectFiles.Where(f => f.EndsWith(".editorconfig", StringComparison.Ordinal) || f.EndsWith(".globalconfig", StringComparison.Ordinal)).ToList();
        Assert.Equal(places.Count, places.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(ProjectFiles.ToRelative(root, Path.Combine(Path.GetPathRoot(root)!, ".globalconfig")), places); // the file system's root

        var callers = BuildContexts.From(root, [project], invocation, ProjectInputsSource.Caller);
        Assert.DoesNotContain(callers.ProjectFiles, f => f.EndsWith(".editorconfig", StringComparison.Ordinal) || f.EndsWith(".globalconfig", StringComparison.Ordinal));
    }
}
