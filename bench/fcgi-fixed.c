/*
 * autosched benchmark: the ceiling. A trivial FastCGI program that answers every request
 * with a fixed JSON body of FIXED_SIZE bytes (and reads any request body), so that
 * lighttpd + FastCGI + wrk can be measured without our work in between.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

int
main(void)
{
	FCGX_Request	 r;
	const char	*env = getenv("FIXED_SIZE");
	char		*body, head[128], sink[4096];
	long		 size = env ? atol(env) : 512;
	int		 hn;

	if (size < 2 || size > 1 << 24)
		size = 512;
	body = malloc((size_t)size);
	if (body == NULL)
		return 1;
	memset(body, ' ', (size_t)size);
	body[0] = '[';
	body[size - 1] = ']';
	hn = snprintf(head, sizeof(head), "Status: 200 OK\r\nContent-Type: application/json\r\n"
	    "Content-Length: %ld\r\n\r\n", size);
	if (FCGX_Init() != 0 || FCGX_InitRequest(&r, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&r) >= 0) {
		while (FCGX_GetStr(sink, sizeof(sink), r.in) > 0)
			;
		FCGX_PutStr(head, hn, r.out);
		FCGX_PutStr(body, (int)size, r.out);
		FCGX_Finish_r(&r);
	}
	free(body);
	return 0;
}
