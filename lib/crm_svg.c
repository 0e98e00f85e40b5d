/* SPDX-License-Identifier: MIT */
/* Small inline SVG charts: fixed sizes, system fonts, grey and one blue, so that they print. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "crm_svg.h"

#define W 640		/* chart width */
#define H 220		/* chart height */
#define L 64		/* left margin, for the axis labels */
#define B 40		/* bottom margin, for the category labels */
#define T 28		/* top margin, for the title */
#define INK "#1f4e79"

void
crm_svg_text(struct crm_buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&':
			crm_buf_adds(b, "&amp;");
			break;
		case '<':
			crm_buf_adds(b, "&lt;");
			break;
		case '>':
			crm_buf_adds(b, "&gt;");
			break;
		case '"':
			crm_buf_adds(b, "&quot;");
			break;
		case '\'':
			crm_buf_adds(b, "&#39;");
			break;
		default:
			crm_buf_addc(b, *s);
		}
}

static void
open_svg(struct crm_buf *b, const char *title, int w, int h)
{
	crm_buf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "font-family=\"sans-serif\" font-size=\"11\">\n<title>", w, h, w,
	    h);
	crm_svg_text(b, title);
	crm_buf_adds(b, "</title>\n<text x=\"4\" y=\"16\" font-size=\"13\" "
	    "font-weight=\"bold\">");
	crm_svg_text(b, title);
	crm_buf_adds(b, "</text>\n");
}

/* A round step for an axis that spans [0, max]. */
static double
nice_step(double max)
{
	double p = pow(10, floor(log10(max / 4))), s = max / 4 / p;

	return (s <= 1 ? 1 : s <= 2 ? 2 : s <= 5 ? 5 : 10) * p;
}

/* The value range and the y axis with its grid lines; returns the scale. */
static void
axis(struct crm_buf *b, const double *v, size_t n, double *lo, double *hi)
{
	double step, y, py;
	size_t i;

	*lo = 0;
	*hi = 0;
	for (i = 0; i < n; i++) {
		if (v[i] < *lo)
			*lo = v[i];
		if (v[i] > *hi)
			*hi = v[i];
	}
	if (*hi - *lo <= 0)
		*hi = 1;
	step = nice_step(*hi - *lo);
	*lo = floor(*lo / step) * step;
	*hi = ceil(*hi / step) * step;
	for (y = *lo; y <= *hi + step / 2; y += step) {
		py = T + (H - T - B) * (*hi - y) / (*hi - *lo);
		crm_buf_addf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
		    "y2=\"%.1f\" stroke=\"%s\"/>\n<text x=\"%d\" y=\"%.1f\" "
		    "text-anchor=\"end\">%g</text>\n", L, py, W - 8, py,
		    fabs(y) < step / 2 ? "#555" : "#ddd", L - 6, py + 4,
		    fabs(y) < step / 2 ? 0 : y);
	}
}

static double
ypos(double v, double lo, double hi)
{
	return T + (H - T - B) * (hi - v) / (hi - lo);
}

static void
label(struct crm_buf *b, double x, const char *s)
{
	crm_buf_addf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
	    x, H - B + 16);
	crm_svg_text(b, s);
	crm_buf_adds(b, "</text>\n");
}

void
crm_svg_bars(struct crm_buf *b, const char *title,
    const char *const *labels, const double *v, size_t n)
{
	double lo, hi, slot, y0, y1;
	size_t i;

	open_svg(b, title, W, H);
	axis(b, v, n, &lo, &hi);
	slot = n > 0 ? (double)(W - 8 - L) / (double)n : 0;
	for (i = 0; i < n; i++) {
		y0 = ypos(v[i] > 0 ? v[i] : 0, lo, hi);
		y1 = ypos(v[i] < 0 ? v[i] : 0, lo, hi);
		crm_buf_addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"%s\"><title>", L + slot * (double)i +
		    slot * 0.15, y0, slot * 0.7, y1 - y0, INK);
		crm_svg_text(b, labels[i]);
		crm_buf_addf(b, ": %g</title></rect>\n", v[i]);
		label(b, L + slot * ((double)i + 0.5), labels[i]);
	}
	crm_buf_adds(b, "</svg>\n");
}

void
crm_svg_line(struct crm_buf *b, const char *title,
    const char *const *labels, const double *v, size_t n)
{
	double lo, hi, slot, x;
	size_t i;

	open_svg(b, title, W, H);
	axis(b, v, n, &lo, &hi);
	slot = n > 0 ? (double)(W - 8 - L) / (double)n : 0;
	crm_buf_addf(b, "<polyline fill=\"none\" stroke=\"%s\" "
	    "stroke-width=\"2\" points=\"", INK);
	for (i = 0; i < n; i++)
		crm_buf_addf(b, "%s%.1f,%.1f", i > 0 ? " " : "",
		    L + slot * ((double)i + 0.5), ypos(v[i], lo, hi));
	crm_buf_adds(b, "\"/>\n");
	for (i = 0; i < n; i++) {
		x = L + slot * ((double)i + 0.5);
		crm_buf_addf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
		    "fill=\"%s\"/>\n", x, ypos(v[i], lo, hi), INK);
		label(b, x, labels[i]);
	}
	crm_buf_adds(b, "</svg>\n");
}

void
crm_svg_pareto(struct crm_buf *b, const char *title, const double *x,
    const double *y, size_t n)
{
	const int size = 300, m = 40;
	double s = size - 2 * m;
	size_t i;
	int k;

	open_svg(b, title, size, size);
	for (k = 0; k <= 4; k++)
		crm_buf_addf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
		    "y2=\"%.1f\" stroke=\"#ddd\"/>\n<text x=\"%d\" y=\"%.1f\" "
		    "text-anchor=\"end\">%d%%</text>\n<text x=\"%.1f\" "
		    "y=\"%d\" text-anchor=\"middle\">%d%%</text>\n", m,
		    m + s * (1 - k / 4.0), size - m, m + s * (1 - k / 4.0),
		    m - 4, m + s * (1 - k / 4.0) + 4, k * 25, m + s * k / 4.0,
		    size - m + 14, k * 25);
	crm_buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n", m, size - m,
	    size - m, m);
	crm_buf_addf(b, "<polyline fill=\"none\" stroke=\"%s\" "
	    "stroke-width=\"2\" points=\"%d,%d", INK, m, size - m);
	for (i = 0; i < n; i++)
		crm_buf_addf(b, " %.1f,%.1f", m + s * x[i], m + s * (1 - y[i]));
	crm_buf_addf(b, "\"/>\n<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
	    "customers, largest first</text>\n</svg>\n", size / 2,
	    size - 6);
}

void
crm_svg_heat(struct crm_buf *b, const char *title,
    const char *const *rows, size_t nr, const char *const *cols, size_t nc,
    const double *v)
{
	const int cw = 56, ch = 22, left = 96, top = 44;
	double x;
	size_t r, c;

	open_svg(b, title, left + (int)nc * cw + 8 > 460 ? left + (int)nc * cw +
	    8 : 460, top + (int)nr * ch + 8);
	for (c = 0; c < nc; c++) {
		crm_buf_addf(b, "<text x=\"%zu\" y=\"%d\" "
		    "text-anchor=\"middle\">", left + c * cw + cw / 2,
		    top - 8);
		crm_svg_text(b, cols[c]);
		crm_buf_adds(b, "</text>\n");
	}
	for (r = 0; r < nr; r++) {
		crm_buf_addf(b, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">",
		    left - 6, top + r * ch + 15);
		crm_svg_text(b, rows[r]);
		crm_buf_adds(b, "</text>\n");
		for (c = 0; c < nc; c++) {
			x = v[r * nc + c];
			if (x < 0)
				continue;
			crm_buf_addf(b, "<rect x=\"%zu\" y=\"%zu\" width=\"%d\" "
			    "height=\"%d\" fill=\"%s\" fill-opacity=\"%.3f\" "
			    "stroke=\"#fff\"/>\n<text x=\"%zu\" y=\"%zu\" "
			    "text-anchor=\"middle\" fill=\"%s\">%.0f%%</text>\n",
			    left + c * cw, top + r * ch, cw, ch, INK,
			    0.08 + 0.92 * x, left + c * cw + cw / 2,
			    top + r * ch + 15, x > 0.5 ? "#fff" : "#000",
			    100 * x);
		}
	}
	crm_buf_adds(b, "</svg>\n");
}
