package hostile_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/server/temporaltest"

	"github.com/assessbridge/assessbridge/lever"
	"github.com/assessbridge/assessbridge/metrics"
	"github.com/assessbridge/assessbridge/namespace"
	"github.com/assessbridge/assessbridge/service"
	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/web"
)

const (
	sigToken     = "hostile-signature-token"
	triggerStage = "stage-trigger"

	slowClients = 500 // of each kind
	// trickle is how often a slow client sends its next byte: slow enough to hold the
	// connection forever if nothing stopped it.
	trickle = 500 * time.Millisecond

	// A header never finished must be cut at service.Serve's ReadHeaderTimeout (5 s), a body
	// never finished at web's body deadline (10 s), both long before ReadTimeout (30 s).
	headerCutBy = 8 * time.Second
	bodyCutBy   = 13 * time.Second
	// maxAnswer is how long health checks and webhooks may take meanwhile.
	maxAnswer = 2 * time.Second
	// maxHeapGrowth bounds what 1000 held connections may cost.
	maxHeapGrowth = 100 << 20
)

// frontDoor serves web's handler with service.Serve on a real listener and returns its URL.
func frontDoor(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	if err := namespace.RegisterSearchAttributes(ctx, ts.GetDefaultClient(), ts.GetDefaultNamespace()); err != nil {
		t.Fatal(err)
	}
	key := make([]byte, store.KeySize)
	rand.Read(key)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	err = st.PutAccount(ctx, store.Account{ID: "acme", Status: store.StatusConnected, AccessToken: "x",
		WebhookTokens: []string{sigToken}, TriggerStages: []string{triggerStage}})
	if err != nil {
		t.Fatal(err)
	}
	// With metrics, as production runs it: the counting writer must still let the body
	// deadline reach the connection.
	s, err := web.New(ts.GetDefaultClient(), st, nil, web.Config{CallbackSecret: "callback-secret",
		TaskQueue: "hostile-no-worker", Metrics: metrics.New()})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	serveCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- service.Serve(serveCtx, ln, s.Handler()) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// slowConn is one slow client: it sends head at once, then one byte of drip every trickle
// until the server closes the connection.
type slowConn struct {
	firstLine string        // the server's status line, if it answered before closing
	cutAfter  time.Duration // from opening until the server closed; 0 = still open
}

func openSlow(t *testing.T, addr, head string, drip byte, wg *sync.WaitGroup) *slowConn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := conn.Write([]byte(head)); err != nil {
		t.Fatalf("write head: %v", err)
	}
	sc := &slowConn{}
	opened := time.Now()
	closed := make(chan struct{})
	wg.Add(1)
	go func() { // reads until the server closes; the deadline only keeps a failing test finite
		defer wg.Done()
		defer close(closed)
		conn.SetReadDeadline(opened.Add(bodyCutBy + 5*time.Second))
		r := bufio.NewReader(conn)
		line, err := r.ReadString('\n')
		sc.firstLine = strings.TrimSpace(line)
		for err == nil {
			_, err = r.ReadByte()
		}
		if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
			sc.cutAfter = time.Since(opened)
		}
	}()
	go func() {
		tick := time.NewTicker(trickle)
		defer tick.Stop()
		for {
			select {
			case <-closed:
				return
			case <-tick.C:
				if _, err := conn.Write([]byte{drip}); err != nil {
					return
				}
			}
		}
	}()
	return sc
}

// signedDelivery is a delivery as Lever sends it: each with its own 48-character token, since
// the front door refuses a token used again with other content.
func signedDelivery(opportunityID string) string {
	token, at := (opportunityID + strings.Repeat("t", 48))[:48], time.Now().UnixMilli()
	b, _ := json.Marshal(map[string]any{
		"event": lever.EventStageChange, "triggeredAt": at, "token": token, "signature": lever.Sign(sigToken, token, at),
		"data": map[string]any{"opportunityId": opportunityID, "toStageId": triggerStage},
	})
	return string(b)
}

func heapInUse() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// TestSlowClients: 500 clients sending headers byte by byte (slowloris) and 500 sending a body
// byte by byte hold connections open; meanwhile health checks and a signed webhook still answer
// fast, the heap stays bounded, and the server cuts every slow connection at its deadline.
func TestSlowClients(t *testing.T) {
	if testing.Short() {
		t.Skip("holds 1000 connections for about 13 s")
	}
	base := frontDoor(t)
	addr := strings.TrimPrefix(base, "http://")
	runtime.GC()
	baseline := heapInUse()

	var wg sync.WaitGroup
	var headers, bodies []*slowConn
	for range slowClients {
		headers = append(headers, openSlow(t, addr, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ", 'a', &wg))
		bodies = append(bodies, openSlow(t, addr, "POST /webhooks/lever/acme HTTP/1.1\r\nHost: x\r\n"+
			"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{", ' ', &wg))
	}

	hc := &http.Client{Timeout: maxAnswer}
	peak := uint64(0)
	for i := 0; i < 8; i++ {
		time.Sleep(trickle)
		if h := heapInUse(); h > peak {
			peak = h
		}
		start := time.Now()
		resp, err := hc.Get(base + "/healthz")
		if err != nil {
			t.Fatalf("health check %d under load: %v", i, err)
		}
		resp.Body.Close()
		if took := time.Since(start); resp.StatusCode != http.StatusOK || took > maxAnswer {
			t.Errorf("health check %d under load: got %d in %v, want 200 within %v", i, resp.StatusCode, took, maxAnswer)
		}
		start = time.Now()
		resp, err = hc.Post(base+"/webhooks/lever/acme", "application/json", strings.NewReader(signedDelivery(fmt.Sprintf("opp-load-%d", i))))
		if err != nil {
			t.Fatalf("webhook %d under load: %v", i, err)
		}
		resp.Body.Close()
		if took := time.Since(start); resp.StatusCode != http.StatusAccepted || took > maxAnswer {
			t.Errorf("webhook %d under load: got %d in %v, want 202 within %v", i, resp.StatusCode, took, maxAnswer)
		}
	}
	if grew := int64(peak) - int64(baseline); grew > maxHeapGrowth {
		t.Errorf("heap in use with %d slow connections: grew by %d MiB, want under %d MiB", 2*slowClients, grew>>20, maxHeapGrowth>>20)
	}
	t.Logf("heap in use: baseline %d MiB, peak %d MiB", baseline>>20, peak>>20)

	wg.Wait()
	check := func(kind string, conns []*slowConn, cutBy time.Duration, wantLine string) {
		t.Helper()
		open, late, wrong := 0, 0, 0
		var slowest time.Duration
		for _, c := range conns {
			switch {
			case c.cutAfter == 0:
				open++
			case c.cutAfter > cutBy:
				late++
			}
			if c.firstLine != wantLine {
				wrong++
			}
			slowest = max(slowest, c.cutAfter)
		}
		if open > 0 || late > 0 || wrong > 0 {
			t.Errorf("%s: %d never closed by the server, %d closed after %v, %d answered other than %q",
				kind, open, late, cutBy, wrong, wantLine)
		}
		t.Logf("%s: the last one was cut after %v", kind, slowest.Round(10*time.Millisecond))
	}
	check("slow headers", headers, headerCutBy, "") // dropped without an answer
	check("slow bodies", bodies, bodyCutBy, "HTTP/1.1 408 Request Timeout")
}
