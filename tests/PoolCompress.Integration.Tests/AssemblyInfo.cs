// Each test here runs whole federations (TorchSharp training on every core); running them one at a time keeps
// CI's two cores from being shared by a dozen federations at once.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
