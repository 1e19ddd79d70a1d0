/*
 * autosched: files the command-line tool reads whole and writes so that a crash leaves
 * either the old file or the whole new one (a temporary file, fsync, rename, fsync of the
 * folder).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define READ_MAX_BYTES	(256L << 20)	/* 100,000 jobs take about 60 MiB */

/* Flushes and syncs fd, then closes it. Returns 0, or -1 with errno set. */
int
file_sync_close(int fd)
{
	int	 saved;

	if (fsync(fd) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

/* Syncs the folder holding path, so that a rename in it survives a crash. */
void
file_sync_dir(const char *path)
{
	char	*dir = xstrdup(path), *slash = strrchr(dir, '/');
	int	 fd;

	if (slash == NULL)
		snprintf(dir, strlen(dir) + 1, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY)) != -1) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/*
 * Writes data to path through path.tmp and a rename, so that path is either the old file
 * or the whole new one. Returns 0, or -1 after a message.
 */
int
file_write(const char *path, const char *data, size_t len)
{
	char	*tmp = xasprintf("%s.tmp", path);
	size_t	 off = 0;
	ssize_t	 w;
	int	 fd, rc = -1;

	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666)) == -1) {
		fprintf(stderr, "autosched: cannot create '%s': %s\n", tmp, strerror(errno));
		goto out;
	}
	while (off < len) {
		if ((w = write(fd, data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += (size_t)w;
	}
	if (off < len || file_sync_close(fd) == -1) {
		fprintf(stderr, "autosched: cannot write '%s': %s\n", tmp, strerror(errno));
		if (off < len)
			close(fd);
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, path) == -1) {
		fprintf(stderr, "autosched: cannot rename '%s' to '%s': %s\n", tmp, path,
		    strerror(errno));
		unlink(tmp);
		goto out;
	}
	file_sync_dir(path);
	rc = 0;
out:
	free(tmp);
	return rc;
}

/* Reads all of path ("-" or NULL: standard input) into b. Returns 0, or -1 after a message. */
int
file_read_all(const char *path, struct buf *b)
{
	FILE	*f = stdin;
	char	 chunk[65536];
	size_t	 n;
	int	 rc = 0;

	if (path != NULL && strcmp(path, "-") != 0 && (f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "autosched: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > (size_t)READ_MAX_BYTES) {
			fprintf(stderr, "autosched: %s: larger than %ld MiB\n",
			    f == stdin ? "standard input" : path, READ_MAX_BYTES >> 20);
			rc = -1;
			break;
		}
		buf_add(b, chunk, n);
	}
	if (rc == 0 && ferror(f)) {
		fprintf(stderr, "autosched: cannot read %s: %s\n", f == stdin ?
		    "standard input" : path, strerror(errno));
		rc = -1;
	}
	if (f != stdin)
		fclose(f);
	return rc;
}
