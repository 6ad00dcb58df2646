package service

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"go.temporal.io/server/common/rpc/encryption"
	"go.temporal.io/server/temporal"
	"go.temporal.io/server/temporaltest"
	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/config"
)

// pki is a test certificate authority and the files a deployment would hold.
type pki struct {
	cert    *x509.Certificate
	key     *ecdsa.PrivateKey
	certPEM []byte
}

func newCA(t *testing.T, name string) pki {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return pki{cert: cert, key: key, certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// issue signs a leaf certificate for the server (127.0.0.1, localhost) or a client.
func (ca pki) issue(t *testing.T, name string, usage x509.ExtKeyUsage) (tls.Certificate, []byte, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return pair, certPEM, keyPEM
}

// frontendTLS serves the frontend with TLS (mutual when clientCAs is set); the services talk
// to each other in plaintext, and the server's own clients of the frontend present clientCert.
type frontendTLS struct {
	server     tls.Certificate
	rootCAs    *x509.CertPool // the server's own clients trust this
	clientCAs  *x509.CertPool // nil: no client certificate asked for
	clientCert *tls.Certificate
}

var _ encryption.TLSConfigProvider = frontendTLS{}

func (f frontendTLS) GetInternodeServerConfig() (*tls.Config, error) { return nil, nil }
func (f frontendTLS) GetInternodeClientConfig() (*tls.Config, error) { return nil, nil }
func (f frontendTLS) GetFrontendServerConfig() (*tls.Config, error) {
	c := &tls.Config{Certificates: []tls.Certificate{f.server}, MinVersion: tls.VersionTLS12}
	if f.clientCAs != nil {
		c.ClientCAs, c.ClientAuth = f.clientCAs, tls.RequireAndVerifyClientCert
	}
	return c, nil
}
func (f frontendTLS) GetFrontendClientConfig() (*tls.Config, error) {
	c := &tls.Config{RootCAs: f.rootCAs, ServerName: "127.0.0.1"}
	if f.clientCert != nil {
		c.Certificates = []tls.Certificate{*f.clientCert}
	}
	return c, nil
}
func (f frontendTLS) GetRemoteClusterClientConfig(string) (*tls.Config, error) { return nil, nil }
func (f frontendTLS) GetExpiringCerts(time.Duration) (encryption.CertExpirationMap, encryption.CertExpirationMap, error) {
	return nil, nil, nil
}

func writeFile(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func pool(ca pki) *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.cert)
	return p
}

func echo(_ workflow.Context, s string) (string, error) { return "echo: " + s, nil }

// TestDialTemporalOverTLS: a worker and a starter, each dialled by DialTemporal from the
// environment alone (TEMPORAL_TLS_* variables, or a temporal.toml profile as the CLI reads it),
// reach a TLS and a mutual-TLS frontend and run a workflow between them; a wrong CA or a
// missing client certificate is refused with an error that says it is a TLS problem and names
// the address.
func TestDialTemporalOverTLS(t *testing.T) {
	serverCA, clientCA, otherCA := newCA(t, "server ca"), newCA(t, "client ca"), newCA(t, "someone else's ca")
	serverCert, _, _ := serverCA.issue(t, "temporal frontend", x509.ExtKeyUsageServerAuth)
	clientPair, clientCertPEM, clientKeyPEM := clientCA.issue(t, "assessbridge", x509.ExtKeyUsageClientAuth)
	dir := t.TempDir()
	caPath := writeFile(t, dir, "server-ca.pem", serverCA.certPEM)
	otherCAPath := writeFile(t, dir, "other-ca.pem", otherCA.certPEM)
	certPath := writeFile(t, dir, "client.pem", clientCertPEM)
	keyPath := writeFile(t, dir, "client.key", clientKeyPEM)
	profile := writeFile(t, dir, "temporal.toml", fmt.Appendf(nil, `
[profile.default]
address = "unused.example:7233"

[profile.mtls]
address = "set-by-the-test"
[profile.mtls.tls]
client_cert_path = %q
client_key_path = %q
server_ca_cert_data = '''
%s'''
`, certPath, keyPath, serverCA.certPEM))

	servers := map[string]*temporaltest.TestServer{
		"tls": temporaltest.NewServer(temporaltest.WithT(t), temporaltest.WithBaseServerOptions(
			temporal.WithTLSConfigFactory(frontendTLS{server: serverCert, rootCAs: pool(serverCA)}))),
		"mtls": temporaltest.NewServer(temporaltest.WithT(t), temporaltest.WithBaseServerOptions(
			temporal.WithTLSConfigFactory(frontendTLS{server: serverCert, rootCAs: pool(serverCA), clientCAs: pool(clientCA), clientCert: &clientPair}))),
	}
	tests := []struct {
		name, server string
		env          map[string]string
		wantErr      []string // empty: the dial works and a workflow runs
	}{
		{name: "TLS from TEMPORAL_TLS_* variables", server: "tls",
			env: map[string]string{"TEMPORAL_TLS_SERVER_CA_CERT_PATH": caPath}},
		{name: "mutual TLS from TEMPORAL_TLS_* variables, address from TEMPORAL_ADDRESS", server: "mtls",
			env: map[string]string{"TEMPORAL_TLS_SERVER_CA_CERT_PATH": caPath, "TEMPORAL_TLS_CLIENT_CERT_PATH": certPath,
				"TEMPORAL_TLS_CLIENT_KEY_PATH": keyPath}},
		{name: "mutual TLS from a temporal.toml profile", server: "mtls",
			env: map[string]string{"TEMPORAL_CONFIG_FILE": profile, "TEMPORAL_PROFILE": "mtls"}},
		{name: "mutual TLS with certificate data in variables", server: "mtls",
			env: map[string]string{"TEMPORAL_TLS_SERVER_CA_CERT_DATA": string(serverCA.certPEM),
				"TEMPORAL_TLS_CLIENT_CERT_DATA": string(clientCertPEM), "TEMPORAL_TLS_CLIENT_KEY_DATA": string(clientKeyPEM)}},
		{name: "wrong CA", server: "tls",
			env:     map[string]string{"TEMPORAL_TLS_SERVER_CA_CERT_PATH": otherCAPath},
			wantErr: []string{"TLS certificate problem", "x509"}},
		{name: "mutual TLS without a client certificate", server: "mtls",
			env:     map[string]string{"TEMPORAL_TLS_SERVER_CA_CERT_PATH": caPath},
			wantErr: []string{"TLS certificate problem"}},
		{name: "plaintext to a TLS server", server: "tls",
			env:     map[string]string{},
			wantErr: []string{"TLS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := servers[tt.server]
			addr := ts.GetFrontendHostPort()
			env := map[string]string{"TEMPORAL_NAMESPACE": ts.GetDefaultNamespace()}
			for k, v := range tt.env {
				env[k] = v
			}
			// The profile's address is overridden, as an operator overrides it for one process.
			if env["TEMPORAL_CONFIG_FILE"] != "" {
				env["ASSESSBRIDGE_TEMPORAL_ADDRESS"] = addr
			} else {
				env["TEMPORAL_ADDRESS"] = addr
			}
			cfg, err := config.Load(func(k string) string { return env[k] })
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			workerClient, err := DialTemporal(ctx, cfg, zap.NewNop())
			if len(tt.wantErr) > 0 {
				if err == nil {
					workerClient.Close()
					t.Fatal("dial: got no error, want one")
				}
				t.Logf("dial error: %v", err)
				for _, want := range append(tt.wantErr, addr) {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("dial error: got %q, want it to contain %q", err, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("worker dial: %v", err)
			}
			defer workerClient.Close()
			queue := "tls-" + strings.ReplaceAll(tt.name, " ", "-")
			w := worker.New(workerClient, queue, worker.Options{})
			w.RegisterWorkflowWithOptions(echo, workflow.RegisterOptions{Name: "echo"})
			if err := w.Start(); err != nil {
				t.Fatal(err)
			}
			defer w.Stop()

			starterClient, err := DialTemporal(ctx, cfg, zap.NewNop())
			if err != nil {
				t.Fatalf("starter dial: %v", err)
			}
			defer starterClient.Close()
			run, err := starterClient.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: queue}, "echo", "over tls")
			if err != nil {
				t.Fatal(err)
			}
			var got string
			if err := run.Get(ctx, &got); err != nil || got != "echo: over tls" {
				t.Fatalf("workflow: got %q, %v; want %q", got, err, "echo: over tls")
			}
		})
	}
}
