package metrics

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
)

// sdkBuckets suit the SDK's timers: gRPC requests and task latencies in milliseconds up to
// workflow end-to-end latencies of minutes.
var sdkBuckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600}

// TemporalHandler is the Temporal SDK's metrics handler (client.Options.MetricsHandler) backed
// by this registry. Names follow Temporal's Prometheus convention, so its SDK dashboards work:
// counters get _total, timers become histograms in seconds with _seconds; tags become labels.
func (m *Metrics) TemporalHandler() client.MetricsHandler {
	if m == nil {
		return client.MetricsNopHandler
	}
	return sdkHandler{c: m.sdk}
}

// sdkCollector keeps the SDK's series, created on first use. The SDK uses different tag sets
// under one name (e.g. temporal_request with and without workflow_type), which a fixed-label
// Vec cannot hold, so each series is its own metric with constant labels and the collector is
// unchecked (Describe sends nothing).
type sdkCollector struct {
	mu     sync.Mutex
	series map[string]prometheus.Collector
}

func newSDKCollector() *sdkCollector {
	return &sdkCollector{series: map[string]prometheus.Collector{}}
}

func (c *sdkCollector) Describe(chan<- *prometheus.Desc) {}

func (c *sdkCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.series {
		s.Collect(ch)
	}
}

// get returns the series of name and labels, made by mk when new.
func (c *sdkCollector) get(name string, labels map[string]string, mk func(prometheus.Labels) prometheus.Collector) prometheus.Collector {
	key := name
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		key += "\xff" + k + "\xfe" + labels[k]
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.series[key]
	if !ok {
		s = mk(labels)
		c.series[key] = s
	}
	return s
}

type sdkHandler struct {
	c    *sdkCollector
	tags map[string]string
}

func (h sdkHandler) WithTags(tags map[string]string) client.MetricsHandler {
	merged := maps.Clone(h.tags)
	if merged == nil {
		merged = map[string]string{}
	}
	for k, v := range tags {
		merged[sanitize(k)] = v
	}
	return sdkHandler{c: h.c, tags: merged}
}

func (h sdkHandler) Counter(name string) client.MetricsCounter {
	name = metricName(name, "_total")
	c := h.c.get(name, h.tags, func(l prometheus.Labels) prometheus.Collector {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: "Temporal SDK counter " + name + ".", ConstLabels: l})
	}).(prometheus.Counter)
	return counter{c}
}

func (h sdkHandler) Gauge(name string) client.MetricsGauge {
	name = metricName(name, "")
	g := h.c.get(name, h.tags, func(l prometheus.Labels) prometheus.Collector {
		return prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: "Temporal SDK gauge " + name + ".", ConstLabels: l})
	}).(prometheus.Gauge)
	return gauge{g}
}

func (h sdkHandler) Timer(name string) client.MetricsTimer {
	name = metricName(name, "_seconds")
	o := h.c.get(name, h.tags, func(l prometheus.Labels) prometheus.Collector {
		return prometheus.NewHistogram(prometheus.HistogramOpts{Name: name, Help: "Temporal SDK timer " + name + ".", ConstLabels: l, Buckets: sdkBuckets})
	}).(prometheus.Histogram)
	return timer{o}
}

type counter struct{ c prometheus.Counter }

// Inc adds d; Prometheus counters never go down, so a negative d is dropped.
func (c counter) Inc(d int64) {
	if d > 0 {
		c.c.Add(float64(d))
	}
}

type gauge struct{ g prometheus.Gauge }

func (g gauge) Update(v float64) { g.g.Set(v) }

type timer struct{ h prometheus.Histogram }

func (t timer) Record(d time.Duration) { t.h.Observe(d.Seconds()) }

// metricName makes name a valid Prometheus name ending in suffix.
func metricName(name, suffix string) string {
	name = sanitize(name)
	if !strings.HasSuffix(name, suffix) {
		name += suffix
	}
	return name
}

// sanitize replaces what Prometheus names may not hold with underscores.
func sanitize(s string) string {
	b := []byte(s)
	for i, c := range b {
		ok := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9'
		if !ok {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "_"
	}
	return string(b)
}
