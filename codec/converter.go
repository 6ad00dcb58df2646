package codec

import (
	"fmt"

	"go.temporal.io/sdk/converter"
)

// DataConverter is the SDK's default data converter with payloads encrypted by NewCodec(k).
// Give it to every client and worker (client.Options.DataConverter) that reads or writes
// assessbridge workflows.
func DataConverter(k Keys) (converter.DataConverter, error) {
	c, err := NewCodec(k)
	if err != nil {
		return nil, fmt.Errorf("data converter: %w", err)
	}
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c), nil
}
