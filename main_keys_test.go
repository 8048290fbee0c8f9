package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestKeysNearKeyIsAUsageError checks that a mistyped key name in --keys
// is a usage error (exit status 2) naming it and the key it likely means,
// and that type: types it anyway.
func TestKeysNearKeyIsAUsageError(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(t.Context(), []string{"snapshot", "--keys", "/ putin entr"}, &out, &errOut)
	if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), `--keys: unknown key "entr": did you mean enter?`) {
		t.Errorf("--keys with entr: %v, want a usage error naming it", err)
	}
	if err := run(t.Context(), []string{"snapshot", "--keys", "/ type:entr"}, &out, &errOut); err != nil {
		t.Errorf("--keys with type:entr: %v", err)
	}
}
