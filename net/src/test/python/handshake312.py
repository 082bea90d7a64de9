"""The authentication handshake of Python 3.12+, for testing against a Python 3.11 interpreter.

Written from the protocol CPython 3.12 documents in Lib/multiprocessing/connection.py:

* the serving side sends b'#CHALLENGE#' + b'{digest}' + 40 random bytes (3.11 sent 20 bytes and no
  prefix); the HMAC covers everything after b'#CHALLENGE#', prefix included;
* the answer to a challenge of exactly 20 bytes (a legacy server) is a bare HMAC-MD5; to any other,
  b'{digest}' + the HMAC with the digest the challenge names;
* an answer of exactly 16 bytes is a legacy bare HMAC-MD5, and is accepted; any other answer must
  start with an allowed b'{digest}' (md5, sha256, sha384, sha3_256, sha3_384);
* every handshake message is read with recv_bytes(256).

install() swaps these functions into multiprocessing.connection, so that its Listener and Client
speak the 3.12 handshake.
"""
import hmac
import multiprocessing.connection as mpc
import os

CHALLENGE = b'#CHALLENGE#'
WELCOME = b'#WELCOME#'
FAILURE = b'#FAILURE#'
RANDOM_BYTES = 40
LEGACY_CHALLENGE_LENGTH = 20
LEGACY_ANSWER_LENGTH = 16
ALLOWED = {b'md5', b'sha256', b'sha384', b'sha3_256', b'sha3_384'}
LONGEST_NAME = max(len(name) for name in ALLOWED)


def split_digest(message):
    """(digest name, payload); the name is '' for the legacy 16- and 20-byte messages."""
    if len(message) in (LEGACY_CHALLENGE_LENGTH, LEGACY_ANSWER_LENGTH):
        return '', message
    if message[:1] == b'{':
        close = message.find(b'}', 1, LONGEST_NAME + 2)
        if close > 0 and message[1:close] in ALLOWED:
            return message[1:close].decode('ascii'), message[close + 1:]
    raise mpc.AuthenticationError('unsupported message length, missing digest prefix, '
                                  'or unsupported digest: %r' % (message,))


def make_answer(authkey, message):
    name, _ = split_digest(message)
    if not name:
        return hmac.new(authkey, message, 'md5').digest()
    return b'{' + name.encode('ascii') + b'}' + hmac.new(authkey, message, name).digest()


def check_answer(authkey, message, answer):
    name, mac = split_digest(answer)
    expected = hmac.new(authkey, message, name or 'md5').digest()
    if len(expected) != len(mac):
        raise mpc.AuthenticationError('expected %r of length %d got %d' % (name or 'md5', len(expected), len(mac)))
    if not hmac.compare_digest(expected, mac):
        raise mpc.AuthenticationError('digest received was wrong')
    return name or 'md5-legacy'


# What the last handshake in this process saw, for tests to print.
last = {}


def deliver_challenge(connection, authkey, digest_name='sha256'):
    message = b'{' + digest_name.encode('ascii') + b'}' + os.urandom(RANDOM_BYTES)
    connection.send_bytes(CHALLENGE + message)
    answer = connection.recv_bytes(256)
    try:
        last['peer_answered_with'] = check_answer(authkey, message, answer)
    except mpc.AuthenticationError:
        connection.send_bytes(FAILURE)
        raise
    connection.send_bytes(WELCOME)


def answer_challenge(connection, authkey):
    message = connection.recv_bytes(256)
    if not message.startswith(CHALLENGE):
        raise mpc.AuthenticationError('Protocol error, expected challenge: %r' % (message,))
    message = message[len(CHALLENGE):]
    if len(message) < LEGACY_CHALLENGE_LENGTH:
        raise mpc.AuthenticationError('challenge too short: %d bytes' % len(message))
    last['peer_asked_for'] = split_digest(message)[0] or 'md5-legacy'
    connection.send_bytes(make_answer(authkey, message))
    if connection.recv_bytes(256) != WELCOME:
        raise mpc.AuthenticationError('digest sent was rejected')


def install(digest_name='sha256'):
    mpc.deliver_challenge = lambda c, key: deliver_challenge(c, key, digest_name)
    mpc.answer_challenge = answer_challenge
