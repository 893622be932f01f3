package secret

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"filippo.io/age"
)

// streamMagic starts a sealed stream: the magic, the stream's own age identity sealed
// with the data key, a newline, then the age file.
const streamMagic = "fugong-sealed-v1 "

// maxStreamHead bounds the first line of a sealed stream (an identity sealed is ~130 bytes).
const maxStreamHead = 1024

// SealStream seals a large file at rest as it is written, without holding it: the bytes
// go through age (ChaCha20-Poly1305 in 64 KiB chunks, each authenticated, the end
// marked so that a cut file does not open) to a fresh X25519 identity made for this one
// stream, and that identity is kept at the head of the stream sealed with the current
// data key (Seal). So a file opens only with the key file, a rotated key still opens
// what it sealed, and no key is written in clear. Close finishes the stream (it does not
// close dst).
func (k *Keys) SealStream(dst io.Writer) (io.WriteCloser, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, err
	}
	if _, err := io.WriteString(dst, streamMagic+k.Seal(id.String())+"\n"); err != nil {
		return nil, err
	}
	return age.Encrypt(dst, id.Recipient())
}

// ErrStreamTampered is what OpenStream answers for a stream that is not one SealStream
// made with these keys, or was changed or cut since.
var ErrStreamTampered = errors.New("sealed stream does not open")

// OpenStream gives random access to the plain bytes of a stream SealStream made, of
// size bytes in src (an .xlsx is a zip: it is read from its end). Every chunk read is
// checked; a changed or cut stream fails with ErrStreamTampered, at once where its head
// or its last chunk was touched, else on the read of the chunk.
func (k *Keys) OpenStream(src io.ReaderAt, size int64) (*io.SectionReader, error) {
	line, err := bufio.NewReaderSize(io.NewSectionReader(src, 0, min(size, maxStreamHead)), maxStreamHead).ReadSlice('\n')
	if err != nil || !bytes.HasPrefix(line, []byte(streamMagic)) {
		return nil, ErrStreamTampered
	}
	sealed := string(bytes.TrimSuffix(line[len(streamMagic):], []byte("\n")))
	plain, err := k.Open(sealed)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStreamTampered, err)
	}
	id, err := age.ParseX25519Identity(plain)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStreamTampered, err)
	}
	off := int64(len(line))
	ra, n, err := age.DecryptReaderAt(io.NewSectionReader(src, off, size-off), size-off, id)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStreamTampered, err)
	}
	return io.NewSectionReader(ra, 0, n), nil
}
