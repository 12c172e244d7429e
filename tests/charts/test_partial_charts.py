"""Charts of a partial year name the county figure for what it is: the townships that reported."""

import dangjian_analysis as dj

THREE = ["东山镇", "西河乡", "金谷镇"]


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def test_ranking_and_radar_of_three_townships_say_whose_average(sample_dataset_metrics, catalog):
    three = sample_dataset_metrics[sample_dataset_metrics["unit_name"].isin(THREE)]
    mean = three.query("year == 2015 and group == 'overall'")["score"].mean()
    texts = _texts(dj.plot_ranking(three, 2015, catalog=catalog))
    assert f"已报送的 3 个乡镇平均 {mean:.1f}" in texts and not any(t.startswith("全县平均") for t in texts)
    radar = _texts(dj.plot_radar(three, "西河乡", 2015, catalog=catalog))
    assert "已报送的 3 个乡镇平均" in radar and any(t.endswith("2015年度分项指数与已报送的 3 个乡镇平均") for t in radar)
    full = _texts(dj.plot_radar(sample_dataset_metrics, "西河乡", 2015, catalog=catalog))
    assert "全县平均" in full and any(t.endswith("2015年度分项指数与全县平均") for t in full)


def test_attainment_of_three_townships_heads_the_county_row_as_theirs(sample_loaded, catalog):
    table = dj.target_attainment(sample_loaded, by="township")
    three = table[table["township"].isin([*THREE, "全县"])]
    labels = [t.get_text() for t in dj.plot_attainment(three, 2015, catalog=catalog).axes[0].get_yticklabels()]
    assert labels[-1] == "已报送乡镇"
    full = [t.get_text() for t in dj.plot_attainment(table, 2015, catalog=catalog).axes[0].get_yticklabels()]
    assert full[-1] == "全县"
