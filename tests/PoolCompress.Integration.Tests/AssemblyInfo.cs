// Two tests at a time: most of these wait on sockets, process starts and grain turns rather than compute, so two of
// them share CI's two cores well. What must not share them (timing, picked ports, CPU-heavy process federations)
// is in the Alone collection, which runs after the others, one test at a time.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
