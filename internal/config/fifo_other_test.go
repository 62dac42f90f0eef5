//go:build !unix

package config

import "errors"

// mkfifo fails where there are no named pipes; the tests skip that case.
func mkfifo(string) error { return errors.ErrUnsupported }
