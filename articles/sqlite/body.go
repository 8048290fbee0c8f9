package sqlite

import (
	"bytes"
	"database/sql/driver"
	"fmt"
	"strconv"

	"github.com/klauspost/compress/zstd"
	sqlite3 "modernc.org/sqlite"
)

// Article bodies are stored compressed (migration 11): markdown of a few
// KB, they were three quarters of the database. A body is stored as
//   - TEXT: the markdown as it is, for a body too short to gain (and every
//     body of a database from before migration 11 read read-only);
//   - BLOB: one zstd frame of the markdown (it begins with zstd's magic
//     number), compressed on its own so that opening an article decodes
//     only its own row.
//
// Measured on 10,000 bodies of bench/gen (2.9 KB of markdown each, 28.6 MB):
// zstd at its default level, one frame a body, keeps 45% (12.9 MB) for
// about 45 µs to encode and 10 µs to decode a body. A dictionary built
// from 2,000 of the same bodies keeps 30-34%, but it must be trained on
// the store's own articles (a dictionary built into the binary could only
// be trained on synthetic text), kept in the database, and known to the
// SQL function that decodes for the full-text index: not done here.
//
// bodyFunc is the SQL name of decodeBody: the full-text index reads
// bodies through it (the articles_search view and its triggers), and any
// query that looks at a body's text must read bodyFunc(a.body), never
// a.body.
const bodyFunc = "tidings_body"

// encodeBodyFunc is the SQL name of encodeBody, for migration 11, which
// rewrites the bodies stored before it.
const encodeBodyFunc = "tidings_encode_body"

// bodySchema is the schema version from which bodies may be compressed.
const bodySchema = 11

// minCompress is the shortest body worth compressing: below it a frame's
// header and the lost literal runs leave little or nothing.
const minCompress = 128

// maxBody bounds what one stored frame may decode to: far above any body
// a feed can bring (a fetched document is capped well below it), so that
// a damaged frame cannot make a decoder allocate without limit.
const maxBody = 64 << 20

// zstdMagic begins every zstd frame.
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// bodyCodec compresses and decodes bodies. Both halves are safe for
// concurrent use and never change after newBodyCodec: one value serves
// the whole process, as the driver's SQL functions must be registered
// once for every connection.
type bodyCodec struct {
	enc *zstd.Encoder
	dec *zstd.Decoder
}

func newBodyCodec() bodyCodec {
	// Single-segment frames without a checksum: a body is small, SQLite
	// checks its pages, and a decoder needs no window beyond the body.
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderCRC(false),
		zstd.WithSingleSegment(true), zstd.WithEncoderConcurrency(2), zstd.WithLowerEncoderMem(true))
	if err != nil {
		panic(fmt.Sprintf("zstd encoder: %v", err)) // only bad options fail, and these are fixed
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(2), zstd.WithDecoderMaxMemory(maxBody),
		zstd.WithDecoderMaxWindow(maxBody))
	if err != nil {
		panic(fmt.Sprintf("zstd decoder: %v", err))
	}
	return bodyCodec{enc: enc, dec: dec}
}

// codec is the process's one bodyCodec (see bodyCodec).
var codec = newBodyCodec()

func init() {
	sqlite3.MustRegisterDeterministicScalarFunction(bodyFunc, 1, bodySQL)
	sqlite3.MustRegisterDeterministicScalarFunction(encodeBodyFunc, 1, encodeBodySQL)
}

// encodeBody is what the store keeps of a body: the text itself when
// short or when compressing does not gain an eighth, else its frame.
func encodeBody(body string) any {
	if len(body) < minCompress {
		return body
	}
	frame := codec.enc.EncodeAll([]byte(body), make([]byte, 0, len(body)/2))
	if len(frame) > len(body)-len(body)/8 {
		return body
	}
	return frame
}

// decodeBody is the text of a stored body, whatever it holds. It never
// fails: a value that is not a frame (a damaged row) reads as its bytes,
// which the readers sanitise, so that the index's triggers, which must
// give the same text when a row goes as when it came, always can.
func decodeBody(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		if !bytes.HasPrefix(v, zstdMagic) {
			return string(v)
		}
		text, err := codec.dec.DecodeAll(v, nil)
		if err != nil {
			return string(v)
		}
		return string(text)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return ""
}

func bodySQL(_ *sqlite3.FunctionContext, args []driver.Value) (driver.Value, error) {
	return decodeBody(args[0]), nil
}

func encodeBodySQL(_ *sqlite3.FunctionContext, args []driver.Value) (driver.Value, error) {
	if text, ok := args[0].(string); ok {
		return encodeBody(text), nil
	}
	return args[0], nil
}

// storedBody scans a body column, whatever it holds, for decodeBody.
type storedBody struct{ text *string }

// Scan implements sql.Scanner.
func (b storedBody) Scan(v any) error {
	*b.text = decodeBody(v)
	return nil
}
