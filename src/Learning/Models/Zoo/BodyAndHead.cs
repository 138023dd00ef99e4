using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PoolCompress.Learning;

/// <summary>A network as a body (under <c>body.*</c>) feeding a classifier head (under <c>head.*</c>).</summary>
public sealed class BodyAndHead : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> _body;
    private readonly Module<Tensor, Tensor> _head;

    public BodyAndHead(string name, Module<Tensor, Tensor> body, Module<Tensor, Tensor> head) : base(name)
    {
        _body = body;
        _head = head;
        register_module("body", _body);
        register_module(FederatedModel.HeadModuleName, _head);
    }

    public Module<Tensor, Tensor> Body => _body;

    public Module<Tensor, Tensor> Head => _head;

    public override Tensor forward(Tensor input)
    {
        using var features = _body.call(input);
        return _head.call(features);
    }
}
