namespace PoolCompress.Learning;

/// <summary>A site's own data, read from its files: training and validation parts, and where they came from.</summary>
public sealed record LocalData(Dataset Train, Dataset Validation, IReadOnlyList<DataSourceInfo> Sources, IReadOnlyList<string> ClassOrigins)
{
    /// <summary>
    /// Reads every path (each in the format <see cref="DataFormats.Detect"/> finds), joins them, and holds back a
    /// seeded random <paramref name="validationFraction"/> of the samples for validation.
    /// </summary>
    public static LocalData Load(IReadOnlyList<string> paths, DataReadOptions options, double validationFraction, long seed)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0) throw new ArgumentException("no data path given", nameof(paths));
        if (!(validationFraction >= 0 && validationFraction < 1))
            throw new ArgumentException($"--val-fraction must be in [0, 1), got {validationFraction}", nameof(validationFraction));

        var sources = new List<DataSourceInfo>();
        var read = new List<SourceData>();
        foreach (string path in paths)
        {
            var format = DataFormats.Detect(path);
            var data = format.Read(path, options);
            read.Add(data);
            sources.Add(new DataSourceInfo(Path.GetFullPath(path), format.Name, data.Data.Count));
        }
        var all = read.Count == 1 ? read[0].Data : Concatenate([.. read.Select(r => r.Data)], paths);
        var origins = all.Classes.Select(name => read.First(r => r.Data.Classes.Contains(name)))
            .Select((source, i) => source.ClassOrigins[source.Data.Classes.ToList().IndexOf(all.Classes[i])]).ToArray();

        int[] order = Shuffle.Permutation(all.Count, unchecked((int)seed));
        int validationCount = (int)Math.Round(all.Count * validationFraction);
        if (all.Count - validationCount < 1)
            throw new DataFormatException($"{string.Join(", ", paths)}: {all.Count} samples leave none to train on after holding back {validationFraction:P0}");
        return new LocalData(all.Subset(order[validationCount..]), all.Subset(order[..validationCount]), sources, origins);
    }

    /// <summary>This site's table rows read as samples of <paramref name="shape"/> (see <see cref="Dataset.AsShape"/>).</summary>
    public LocalData AsShape(IReadOnlyList<int> shape) => this with { Train = Train.AsShape(shape), Validation = Validation.AsShape(shape) };

    /// <summary>Refuses data that does not fit the federation's <paramref name="spec"/>, naming where each unknown class was found.</summary>
    public void Check(DataSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var differences = spec.Differences(Train.Shape, Train.Classes, name => ClassOrigins[Train.Classes.ToList().IndexOf(name)]);
        if (differences.Count > 0)
            throw new DataFormatException($"this site's data does not fit the federation: {string.Join("; ", differences)}");
    }

    /// <summary>
    /// One data set of all <paramref name="parts"/>, whose sample shapes must agree; the classes are the union of
    /// theirs, numbered in canonical order (<see cref="NamedClasses.CanonicalOrder"/>).
    /// </summary>
    internal static Dataset Concatenate(IReadOnlyList<Dataset> parts, IReadOnlyList<string> names)
    {
        for (int i = 1; i < parts.Count; i++)
        {
            if (!parts[i].Shape.SequenceEqual(parts[0].Shape))
                throw new DataFormatException(
                    $"{names[i]} holds samples of shape {InputShape.Format(parts[i].Shape)} but {names[0]} holds {InputShape.Format(parts[0].Shape)}");
        }
        var union = parts.SelectMany(p => p.Classes).Distinct().ToList();
        string[] classes = [.. union.Order(NamedClasses.CanonicalOrder(union))];
        var aligned = parts.Select(p => p.WithClasses(classes)).ToArray();
        return new Dataset(
            [.. aligned.SelectMany(p => p.Images)], [.. aligned.SelectMany(p => p.Labels)], parts[0].Shape, classes);
    }
}

/// <summary>One path a site's data was read from, in which format, and how many samples it held.</summary>
public sealed record DataSourceInfo(string Path, string Format, int Samples);
