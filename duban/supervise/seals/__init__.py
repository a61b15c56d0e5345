"""Deadline seals: the supervision office tags the shared branch at each reporting deadline,
and lateness is then judged by what the seal holds, not by dates anyone could type.

A seal is an annotated git tag `duban/seal/<plan-id>/<deadline>` on the commit the shared
record had reached at the deadline. Its message records what it holds by content: the
sealed commit, each held report's own identity (report_identity.py: a digest of the task,
the unit and every field, never the date and the unit alone), when it was made, and the
seal before it. It is signed (`git tag -s`) where git has a signing key.

Where the repository names the office's keys (SIGNERS, git's allowed-signers format, one
`gpg FINGERPRINT` line per GPG key), a seal is the office's only when one of those keys
signed it: an unsigned or otherwise signed tag under the name is not a seal. A change to
that file must be in a commit signed by a key its previous version names.

duban remembers under .git (MEMORY) each seal it accepted and each seal the remote held, so
a seal that is later replaced, moved or deleted is named by `sync` and `verify`, and this
clone goes on judging by the seal it first saw. A seal made after its deadline (`--late`)
holds only the reports recorded by the deadline (by the commit graph: a commit is never
earlier than the commits it follows), so it judges nothing recorded before it that a
missing seal would not have judged the same way.
"""
