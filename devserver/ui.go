package devserver

import (
	"context"
	"fmt"

	uiserver "github.com/temporalio/ui-server/v2/server"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	uiserveroptions "github.com/temporalio/ui-server/v2/server/server_options"
)

// webUI is a running Temporal Web UI.
type webUI struct {
	srv  *uiserver.Server
	done chan struct{} // closed when the server's blocking Start returns
}

// startUI serves the Web UI for the frontend at frontendAddr on host:port and waits until it
// answers. The port must have been checked: on a bind error the UI exits the process.
func startUI(ctx context.Context, host string, port int, frontendAddr, namespace, baseURL, codecEndpoint string, codecCredentials bool) (*webUI, error) {
	srv, err := newUIServer(&uiconfig.Config{
		Host:                host,
		Port:                port,
		TemporalGRPCAddress: frontendAddr,
		EnableUI:            true,
		DefaultNamespace:    namespace,
		// Served over plain HTTP: a Secure CSRF cookie would never come back from the browser.
		CORS:             uiconfig.CORS{CookieInsecure: true},
		HideLogs:         true,
		DisableNewsFetch: true, // no calls out of the machine
		// The browser decodes encrypted payloads through this endpoint ("" = none), with its
		// cookies when IncludeCredentials is set.
		Codec: uiconfig.Codec{Endpoint: codecEndpoint, IncludeCredentials: codecCredentials},
	})
	if err != nil {
		return nil, err
	}
	ui := &webUI{srv: srv, done: make(chan struct{})}
	go func() {
		defer close(ui.done)
		// Start blocks until Stop and then returns nil; any other outcome exits the process.
		_ = srv.Start()
	}()
	if err := waitHTTP(ctx, baseURL+"/healthz"); err != nil {
		ui.stop()
		return nil, fmt.Errorf("start web ui: %w", err)
	}
	return ui, nil
}

// newUIServer turns the UI's configuration panics into an error.
func newUIServer(cfg *uiconfig.Config) (srv *uiserver.Server, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("configure web ui: %v", r)
		}
	}()
	return uiserver.NewServer(uiserveroptions.WithConfigProvider(cfg)), nil
}

// stop closes the UI's listener and waits for its Start to return.
func (u *webUI) stop() {
	u.srv.Stop()
	<-u.done
}
