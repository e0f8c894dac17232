namespace AtomicCompose.Indexing;

/// <summary>
/// Keeps what MSBuild said a project compiles (see <c>Validation.Build.BuildProjectModel</c>) between engine
/// sessions, as opaque text under a key; the caller checks the fingerprint stored in it.
/// </summary>
internal interface IProjectInputsCache
{
    /// <summary>The text stored under <paramref name="key"/>, or null.</summary>
    string? GetProjectInputs(string key);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, replacing what was there.</summary>
    void PutProjectInputs(string key, string value);
}
