// Runs one transaction in a child process and kills itself (SIGKILL, no cleanup, no finally blocks)
// when the protocol reaches the boundary named by args[1]. The crash tests then open the workspace
// again and check that recovery repaired it.
//
// usage: AtomicCompose.CrashHarness <root> <label|none> <scenario>
using System.Diagnostics;
using AtomicCompose;

var root = args[0];
var crashAt = args[1];
var scenario = args.Length > 2 ? args[2] : "replace";
var options = new ComposeOptions();
options.ProtocolHook = label =>
{
    if (label == crashAt)
    {
        Console.Out.Flush();
        Process.GetCurrentProcess().Kill();
        Thread.Sleep(Timeout.Infinite);
    }
};

using var engine = ComposeEngine.Open(root, options);
using var tx = engine.Begin("crash harness: " + scenario);
switch (scenario)
{
    case "replace":
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", "public string Greet(string name) => $\"Hi, {name}\";");
        break;
    case "multi":
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", "public string Greet(string name) => $\"Hi, {name}\";");
        tx.CreateFile("src/Extra/Added.cs", "namespace Demo;\n\n/// <summary>Added.</summary>\npublic static class Added\n{\n}\n");
        tx.Delete("src/Program.cs", "Demo.Program.Main()");
        break;
    default:
        throw new ArgumentException("unknown scenario " + scenario);
}

var result = tx.Complete();
Console.WriteLine(result.CommitSha);
return 0;
