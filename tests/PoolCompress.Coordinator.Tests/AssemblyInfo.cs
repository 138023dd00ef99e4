// Several tests here start a coordinator host (an Orleans silo and Kestrel) or a Redis server; running them one at a
// time keeps CI's two cores from being shared by many silos at once, and keeps round deadlines honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
