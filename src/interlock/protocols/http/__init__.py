"""HTTP/1.0 and HTTP/1.1 (RFC 9110, RFC 9112) over TCP: requests, responses, bodies framed
by Content-Length or the chunked coding (sizes only: bodies are never stored).

Anomaly codes (on the message):
- http.bad_start_line: the first line is neither a request line nor a status line.
- http.bad_status_code: a status line whose code is not three digits.
- http.truncated: the header section never ends within the unit.
- http.header_too_long: no end of the header section within 64 KiB (reported cut).
- http.too_many_headers: more than 256 header lines (the rest are not read).
- http.bad_header_line: a header line without a name and a colon.
- http.bad_content_length: a Content-Length that is not a decimal number.
- http.conflicting_content_length: several different Content-Length values.
- http.te_and_length: both Transfer-Encoding and Content-Length (request smuggling risk).
- http.bad_chunk: a chunked body that cannot be walked (bad size line, too many chunks).
- http.cleartext_credentials: Basic credentials (Authorization or Proxy-Authorization)
  in cleartext. The credentials themselves are never stored or shown.
"""

from interlock.protocols.http.message import HttpMessage, parse_message

__all__ = ["HttpMessage", "parse_message"]
