'use strict';
/* The issuance chart: uPlot (served from its WebJar), issued/denied/failed per second, resized with the page. */
class IssuanceChart {
  constructor(element) {
    this.element = element;
    this.plot = null;
    this.height = 240;
  }

  draw(data) {
    if (this.plot) {
      this.plot.setData(data);
      return;
    }
    this.plot = new uPlot(this.options(), data, this.element);
  }

  resize() {
    if (this.plot) this.plot.setSize({ width: this.width(), height: this.height });
  }

  width() {
    return Math.max(200, this.element.clientWidth);
  }

  options() {
    const css = getComputedStyle(document.documentElement);
    const line = (label, color) => ({
      label, stroke: css.getPropertyValue(color).trim(), width: 2, points: { show: false },
      value: (u, v) => (v == null ? '–' : v.toFixed(1)),
    });
    return {
      width: this.width(),
      height: this.height,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] } },
      series: [{}, line('issued/s', '--issued'), line('denied/s', '--denied'), line('failed/s', '--failed')],
      axes: [{}, { size: 44 }],
      legend: { live: true },
    };
  }
}
