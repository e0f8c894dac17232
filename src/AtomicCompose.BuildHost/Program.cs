using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Xml;
using Microsoft.Build.Locator;

namespace AtomicCompose.BuildHost;

/// <summary>
/// Reads one <see cref="HostRequest"/> (JSON) from standard input, evaluates and design-time builds the project with the
/// staged files in place of the ones on disk, and writes one <see cref="HostResponse"/> (JSON) to standard output.
/// MSBuild's errors go to standard error, with exit code 1.
/// </summary>
internal static class Program
{
    public static int Main()
    {
        HostRequest request;
        try
        {
            request = JsonSerializer.Deserialize<HostRequest>(Console.In.ReadToEnd()) ?? throw new JsonException("empty request");
        }
        catch (JsonException ex)
        {
            Console.Error.WriteLine("AtomicCompose.BuildHost: the request is not valid JSON: " + ex.Message);
            return 2;
        }

        // Only the response goes to standard output: anything MSBuild or a task writes to the console goes to standard error.
        var response = Console.Out;
        Console.SetOut(Console.Error);

        // The SDK the project's global.json picks, found from the project's folder as the dotnet CLI finds it.
        Directory.SetCurrentDirectory(Path.GetDirectoryName(request.Project)!);
        MSBuildLocator.RegisterDefaults();
        return Run(request, response);
    }

    // Not inlined: no MSBuild type may be loaded before the locator has registered the SDK's assemblies.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Run(HostRequest request, TextWriter output)
    {
        try
        {
            output.Write(JsonSerializer.Serialize(StagedBuild.Run(request)));
            output.Flush();
            return 0;
        }
        catch (Microsoft.Build.Exceptions.InvalidProjectFileException ex)
        {
            Console.Error.WriteLine($"MSBuild cannot evaluate {request.Project} with the staged files: {ex.ProjectFile}({ex.LineNumber},{ex.ColumnNumber}): {ex.ErrorCode}: {ex.BaseMessage}");
            return 1;
        }
        catch (StagedBuildException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or XmlException or InvalidOperationException or ArgumentException)
        {
            // A staged file that is not XML, an unreadable import: said, not a crash.
            Console.Error.WriteLine($"MSBuild cannot evaluate {request.Project} with the staged files: {ex.Message}");
            return 1;
        }
    }
}
