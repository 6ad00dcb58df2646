package codec

import (
	"fmt"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
)

// DataConverter is the SDK's default data converter with payloads encrypted by NewCodec(k).
// Give it to every client and worker (client.Options.DataConverter) that reads or writes
// assessbridge workflows, with FailureConverter(dc) beside it.
func DataConverter(k Keys) (converter.DataConverter, error) {
	c, err := NewCodec(k)
	if err != nil {
		return nil, fmt.Errorf("data converter: %w", err)
	}
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c), nil
}

// FailureConverter leaves failure messages and stack traces in plaintext, so that a failed run
// names its cause in `temporal workflow describe`, `result` and the Web UI without the codec;
// failure details are payloads and stay encrypted by dc. That is safe because failure messages
// carry ids, never a candidate's name, email, score or note text (test/e2e checks whole
// histories for them).
func FailureConverter(dc converter.DataConverter) converter.FailureConverter {
	return temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{DataConverter: dc})
}
