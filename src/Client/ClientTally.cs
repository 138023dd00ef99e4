namespace PoolCompress.Client;

/// <summary>What one client's run counts for its <see cref="ClientRunSummary"/>.</summary>
internal sealed class ClientTally(string clientId)
{
    private int _trained, _rejected, _wholeModels, _differences, _countedRound;
    private long _bytesSent;

    public long BytesSent => _bytesSent;

    public int RoundsTrained => _trained;

    /// <summary>A task's model came whole (base version 0) or as differences to the model held.</summary>
    public void Received(bool wholeModel)
    {
        if (wholeModel) _wholeModels++;
        else _differences++;
    }

    public void Pushed(UnacknowledgedUpdate sent, bool accepted)
    {
        if (!accepted)
        {
            _rejected++;
        }
        else if (sent.Header.Round != _countedRound)
        {
            // A resent update is one round trained, however often it had to travel.
            _countedRound = sent.Header.Round;
            _trained++;
            _bytesSent += sent.Payload.Length;
        }
    }

    public ClientRunSummary Summary() => new(clientId, _trained, _bytesSent, _rejected, _wholeModels, _differences);
}
