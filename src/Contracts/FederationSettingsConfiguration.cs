using System.Globalization;

namespace PoolCompress.Contracts;

public static class FederationSettingsConfiguration
{
    /// <summary>
    /// The settings as configuration keys (Federation:Rounds = 10, ...), for hosting a federation whose settings
    /// were built in code (a study's runs) through the same configuration binding as the command line.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> ToConfiguration(this FederationSettings settings) =>
        typeof(FederationSettings).GetProperties()
            .Where(p => p.CanWrite && p.GetValue(settings) is not null)
            .Select(p => KeyValuePair.Create<string, string?>(
                $"{FederationSettings.SectionName}:{p.Name}",
                p.GetValue(settings) switch
                {
                    TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    var v => v!.ToString(),
                }));
}
