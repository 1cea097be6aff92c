using Prometheus;
using Shopcast.Serving;

namespace Shopcast.Server;

/// <summary>
/// What /metrics reports (Prometheus text, through prometheus-net): request counts and latency histograms per route
/// and status (prometheus-net's HTTP middleware), events accepted, batches refused, the loaded model versions, the
/// size of the online state and the process's memory. One registry per server, so servers in one process (tests)
/// do not share counters.
/// </summary>
internal sealed class ServerMetrics
{
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();
    public IMetricFactory Factory { get; }
    public Counter EventsAccepted { get; }
    public Counter BatchesRejected { get; }
    public Counter Reloads { get; }

    public ServerMetrics(LiveService service)
    {
        Factory = Metrics.WithCustomRegistry(Registry);
        EventsAccepted = Factory.CreateCounter("shopcast_events_accepted_total", "Events committed to the store and applied to the online state.");
        BatchesRejected = Factory.CreateCounter("shopcast_event_batches_rejected_total", "POST /v1/events requests refused whole, by reason: body (not JSON, too large), field, query, store (could not commit). Requests without the API key are counted by http_requests_received_total{code=\"401\"}.", new[] { "reason" });
        Reloads = Factory.CreateCounter("shopcast_model_reloads_total", "Model reloads, by outcome.", new[] { "outcome" });
        var models = Factory.CreateGauge("shopcast_model_info", "The loaded bundles: 1 per task, model and version.", new[] { "task", "model", "version" });
        var users = Factory.CreateGauge("shopcast_state_users", "Users in the online state.");
        var sessions = Factory.CreateGauge("shopcast_state_sessions", "Sessions in the online state.");
        var events = Factory.CreateGauge("shopcast_state_events", "Events applied to the online state (history, recovered and live).");
        var commits = Factory.CreateGauge("shopcast_journal_commits", "Commits of the event journal since start (events accepted / commits = events per fsync).");
        var batches = Factory.CreateGauge("shopcast_score_batches", "Forward passes of the next-item model since its load (histories scored / batches = the mean batch).");
        var scored = Factory.CreateGauge("shopcast_score_histories", "Histories scored by the next-item model since its load.");
        var memory = Factory.CreateGauge("shopcast_process_working_set_bytes", "Resident memory of the serving process.");
        var managed = Factory.CreateGauge("shopcast_process_managed_heap_bytes", "Managed (GC) heap of the serving process.");
        Registry.AddBeforeCollectCallback(() =>
        {
            using (var lease = service.Models.Acquire())
            {
                foreach (var labels in models.GetAllLabelValues().ToList()) models.RemoveLabelled(labels);
                foreach (var m in lease.Models.Loaded) models.WithLabels(m.Task, m.Model, m.Version).Set(1);
                batches.Set(lease.Models.NextItemScorer?.Batches ?? 0);
                scored.Set(lease.Models.NextItemScorer?.Scored ?? 0);
            }
            commits.Set(service.Journal?.Commits ?? 0);
            users.Set(service.State.Users);
            sessions.Set(service.State.Sessions);
            events.Set(service.State.Events);
            memory.Set(Environment.WorkingSet);
            managed.Set(GC.GetTotalMemory(false));
        });
    }
}
