/*
 * autosched: the only C++ file: a C API over Google ctemplate (see tmpl.h).
 *
 * TemplateDictionary pointers cross into C as the opaque struct tmpl_dict. Nothing here
 * throws: ctemplate reports errors by return values, and allocation failure ends the
 * program as everywhere else.
 */
#include <cstdarg>
#include <cstdio>
#include <string>

#include <ctemplate/template.h>

extern "C" {
#include "app.h"
}
#include "tmpl.h"

using ctemplate::TemplateDictionary;

static TemplateDictionary *
D(struct tmpl_dict *d)
{
	return reinterpret_cast<TemplateDictionary *>(d);
}

static struct tmpl_dict *
C(TemplateDictionary *d)
{
	return reinterpret_cast<struct tmpl_dict *>(d);
}

int
tmpl_init(const char *dir, const char *const *files)
{
	if (!ctemplate::mutable_default_template_cache()->SetTemplateRootDirectory(dir)) {
		log_warnx("templates: cannot use folder '%s'", dir);
		return -1;
	}
	for (; *files != NULL; files++)
		if (!ctemplate::LoadTemplate(*files, ctemplate::STRIP_BLANK_LINES)) {
			log_warnx("templates: '%s/%s' is missing or broken", dir, *files);
			return -1;
		}
	/* Loaded once: do not look at the files again for each request. */
	ctemplate::mutable_default_template_cache()->Freeze();
	return 0;
}

struct tmpl_dict *
tmpl_dict_new(void)
{
	return C(new TemplateDictionary("page"));
}

void
tmpl_dict_free(struct tmpl_dict *d)
{
	delete D(d);
}

void
tmpl_set(struct tmpl_dict *d, const char *key, const char *value)
{
	D(d)->SetValue(key, value ? value : "");
}

void
tmpl_setf(struct tmpl_dict *d, const char *key, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	D(d)->SetValue(key, ctemplate::TemplateString(b.data, b.len));
	buf_release(&b);
}

void
tmpl_set_int(struct tmpl_dict *d, const char *key, long long value)
{
	D(d)->SetIntValue(key, static_cast<long>(value));
}

void
tmpl_set_global(struct tmpl_dict *d, const char *key, const char *value)
{
	D(d)->SetTemplateGlobalValue(key, value ? value : "");
}

void
tmpl_show(struct tmpl_dict *d, const char *section)
{
	D(d)->ShowSection(section);
}

struct tmpl_dict *
tmpl_section(struct tmpl_dict *d, const char *section)
{
	return C(D(d)->AddSectionDictionary(section));
}

struct tmpl_dict *
tmpl_include(struct tmpl_dict *d, const char *name, const char *file)
{
	TemplateDictionary	*sub = D(d)->AddIncludeDictionary(name);

	sub->SetFilename(file);
	return C(sub);
}

int
tmpl_render(const char *file, struct tmpl_dict *d, struct buf *out)
{
	std::string	 s;

	if (!ctemplate::ExpandTemplate(file, ctemplate::STRIP_BLANK_LINES, D(d), &s)) {
		log_warnx("templates: cannot render '%s'", file);
		return -1;
	}
	buf_add(out, s.data(), s.size());
	return 0;
}
